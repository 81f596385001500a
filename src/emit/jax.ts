// Expr → a Python module over jax.numpy: the NumPy module's functions (numpy.ts) as pure functions of
// their inputs, so they can be jitted; value() returns a 0-d array for a 1×1 loss, as jax.grad expects.
import { type ModuleSpec, type PyDialect, pythonModule } from './numpy.js';

const JAX_PREAMBLE = `import jax
import jax.numpy as jnp
import jax.scipy.special


def _sigmoid(x):
    return jax.nn.sigmoid(x)


def _softplus(x):
    return jax.nn.softplus(x)


def _relu(x):
    return jax.nn.relu(x)


def _step(x):
    return jnp.heaviside(x, 0.0)


def _logsumexp(x, axis):
    return jax.scipy.special.logsumexp(x, axis=axis, keepdims=True)


def _softmax(x, axis):
    return jax.nn.softmax(x, axis=axis)


def _logsoftmax(x, axis):
    return jax.nn.log_softmax(x, axis=axis)


def _logdet(x):
    return jnp.reshape(jnp.linalg.slogdet(x)[1], (1, 1))


def _norm(x):
    s = jnp.max(jnp.abs(x))
    s = jnp.where(jnp.isfinite(s) & (s > 0), s, 1.0)
    return jnp.reshape(s * jnp.sqrt(jnp.sum((x / s) ** 2)), (1, 1))


def _asarray(v):
    return jnp.asarray(v) + 0.0`;

export const JAX: PyDialect = {
  label: 'JAX',
  np: 'jnp',
  preamble: JAX_PREAMBLE,
  note: 'The functions are pure (jax.jit and jax.grad apply); JAX computes in float32 unless\njax.config.update("jax_enable_x64", True) runs first.',
};

export function toJaxModule(spec: ModuleSpec): string {
  return pythonModule(spec, JAX);
}
