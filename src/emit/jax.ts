// Expr → a Python module over jax.numpy: the NumPy module's functions (numpy.ts) as pure functions of
// their inputs, so they can be jitted; value() returns a 0-d array for a 1×1 loss, as jax.grad expects.
import { type ModuleSpec, type PyDialect, pythonModule } from './numpy.js';

const JAX_PREAMBLE = `import jax
import jax.numpy as jnp
import jax.scipy.special
import jax.scipy.stats


def _sigmoid(x):
    return jax.nn.sigmoid(x)


def _softplus(x):
    return jax.nn.softplus(x)


def _relu(x):
    return jax.nn.relu(x)


def _erf(x):
    return jax.scipy.special.erf(x)


def _normcdf(x):
    return jax.scipy.stats.norm.cdf(x)


def _normpdf(x):
    return jax.scipy.stats.norm.pdf(x)


def _gelu_erf(x):
    return jax.nn.gelu(x, approximate=False)


def _gelu_tanh(x):
    return jax.nn.gelu(x, approximate=True)


def _masked_softmax(s, m):
    top = jnp.max(jnp.where(m != 0, s, -jnp.inf), axis=1, keepdims=True)
    top = jnp.where(jnp.isfinite(top), top, 0.0)
    e = jnp.where(m != 0, m * jnp.exp(jnp.minimum(s - top, 0.0)), 0.0)
    total = jnp.sum(e, axis=1, keepdims=True)
    return e / jnp.where(total > 0, total, 1.0)


def _adj(a):
    n = a.shape[0]
    if n == 1:
        return jnp.ones((1, 1))
    minor = lambda r, c: jnp.delete(jnp.delete(a, r, axis=0), c, axis=1)
    return jnp.array([[(-1) ** (i + j) * jnp.linalg.det(minor(j, i)) for j in range(n)] for i in range(n)])


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
