// The Python text every generated NumPy / JAX module carries: the NumPy preamble (stable σ, softplus,
// softmax, log-det, erf, … as the numeric/stable.ts table defines them), argument reading and dim binding
// shared by both dialects, and the names of the helpers (so the printer can keep user names off them).

export const NUMPY_PREAMBLE = `import numpy as np

try:  # SciPy's vectorized error function where it is installed, else the math module's, entry by entry
    from scipy.special import erf as _erf, erfc as _erfc
except ImportError:
    from math import erf as _math_erf, erfc as _math_erfc

    _erf = np.vectorize(_math_erf, otypes=[float])
    _erfc = np.vectorize(_math_erfc, otypes=[float])


def _sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _relu(x):
    return np.maximum(x, 0.0)


def _step(x):
    return np.heaviside(x, 0.0)


def _logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def _softmax(x, axis):
    return np.exp(x - _logsumexp(x, axis))


def _logsoftmax(x, axis):
    return x - _logsumexp(x, axis)


def _logdet(x):
    return np.reshape(np.linalg.slogdet(x)[1], (1, 1))


def _norm(x):
    s = np.max(np.abs(x))
    s = np.where(np.isfinite(s) & (s > 0), s, 1.0)
    return np.reshape(s * np.sqrt(np.sum((x / s) ** 2)), (1, 1))


def _normcdf(x):
    return 0.5 * _erfc(-x * np.sqrt(0.5))


def _normpdf(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


def _gelu_erf(x):
    return 0.5 * x * _erfc(-x * np.sqrt(0.5))


def _gelu_tanh(x):
    u = np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)
    return x * _sigmoid(2.0 * u)


def _masked_softmax(s, m):
    top = np.max(np.where(m != 0, s, -np.inf), axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    e = np.where(m != 0, m * np.exp(np.minimum(s - top, 0.0)), 0.0)
    total = np.sum(e, axis=1, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


def _adj(a):
    n = a.shape[0]
    if n == 1:
        return np.ones((1, 1))
    cof = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=0), j, axis=1)
            cof[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return cof.T


def _asarray(v):
    return np.asarray(v, dtype=float)`;

export /** Reading inputs, checking their sizes and binding dims; shaping results. Shared by NumPy and JAX. */
const ARGS = `

def _arg(values, name, shape, dims):
    if name not in values:
        raise TypeError(f"missing keyword argument {name!r}")
    a = _asarray(values[name])
    rows, cols = shape
    if a.ndim == 0 or (a.ndim == 1 and a.shape[0] == 1 and rows == 1 and cols == 1):
        a = a.reshape(1, 1)
    elif a.ndim == 1:
        a = a.reshape(-1, 1) if cols == 1 else a.reshape(1, -1)
    if a.ndim != 2:
        raise ValueError(f"{name} must be a matrix, got an array of shape {a.shape}")
    for size, dim in zip(a.shape, shape):
        if isinstance(dim, int):
            if size != dim:
                raise ValueError(f"{name} is declared with {dim} in shape {shape} but has shape {a.shape}")
        elif dims.setdefault(dim, size) != size:
            raise ValueError(f"{dim} is {dims[dim]} elsewhere but {size} in {name}")
    return a


def _check(values, names):
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {unknown}; expected {list(names)}")


def _out(x, shape, given=None):
    out = NP.broadcast_to(_asarray(x), shape).copy()
    return out.reshape(-1) if given is not None and NP.ndim(given) == 1 else out


def _scalar(x):
    return NP.reshape(_asarray(x), ())
`;

/** The helper functions the preambles define (generated names must not collide with them). */
export const HELPERS = [
  '_sigmoid',
  '_softplus',
  '_relu',
  '_step',
  '_softmax',
  '_logsoftmax',
  '_logsumexp',
  '_logdet',
  '_norm',
  '_erf',
  '_erfc',
  '_gelu_erf',
  '_masked_softmax',
  '_adj',
  '_normcdf',
  '_normpdf',
  '_gelu_tanh',
  '_math_erf',
  '_math_erfc',
];
