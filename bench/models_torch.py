"""PyTorch contenders for bench/models.ts: the same losses written by hand in torch, their gradients by
autograd (float64 and float32, one thread), and the exported matcalc torch.autograd.Function where the
bench asks for it, interleaved round by round. Reads {model, arrays: {name: file}, shapes, params, rounds,
exported} as JSON on stdin; prints {name: {"ms": [...], "grads": {param: flat float64 list}}} as JSON."""
import importlib.util, json, math, sys, time
import numpy as np
import torch

torch.set_num_threads(1)
spec = json.loads(sys.stdin.read())
arrays = {n: np.fromfile(f, dtype=np.float64).reshape(spec["shapes"][n]) for n, f in spec["arrays"].items()}


def layer_norm(x, g, b, eps=1e-5):
    c = x - x.mean(1, keepdim=True)
    return c / torch.sqrt((c * c).mean(1, keepdim=True) + eps) * g.reshape(1, -1) + b.reshape(1, -1)


def gelu_erf(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def transformer(t, heads):
    X, Y = t["X"], t["Y"]
    n = X.shape[0]
    N1 = layer_norm(X, t["g1"], t["b1"])
    mask = torch.tril(torch.ones(n, n, dtype=torch.bool))
    O = 0
    for h in range(1, heads + 1):
        k = t[f"Wq{h}"].shape[1]
        S = (N1 @ t[f"Wq{h}"]) @ (N1 @ t[f"Wk{h}"]).T / math.sqrt(k)
        A = torch.softmax(S.masked_fill(~mask, float("-inf")), dim=1)
        O = O + A @ N1 @ t[f"Wv{h}"] @ t[f"Wo{h}"]
    R = X + O
    F = gelu_erf(layer_norm(R, t["g2"], t["b2"]) @ t["W1"] + t["c1"].reshape(1, -1)) @ t["W2"] + t["c2"].reshape(1, -1)
    return ((R + F - Y) ** 2).sum() / 2


def rnn(t, steps):
    H = None
    for s in range(1, steps + 1):
        Z = t[f"X{s}"] @ t["Wx"] + t["b"].reshape(1, -1)
        H = torch.tanh(Z if H is None else Z + H @ t["Wh"])
    return ((H @ t["Wy"] + t["c"].reshape(1, -1) - t["Y"]) ** 2).sum() / 2


def shift(x, j):
    # rows moved down by j (row t becomes row t − j of x), zeros at the start: shift(T, −j)·x
    return torch.cat([torch.zeros(j, x.shape[1], dtype=x.dtype), x[: x.shape[0] - j]]) if j else x


def convnet(t, width):
    H1 = torch.relu(sum(shift(t["X"], j) @ t[f"K{j}"] for j in range(width)) + t["b"].reshape(1, -1))
    H2 = torch.relu(sum(shift(H1, j) @ t[f"J{j}"] for j in range(width)) + t["b2"].reshape(1, -1))
    p = (H2.mean(0, keepdim=True) @ t["Wy"]).T + t["a"]
    return ((p - t["y"]) ** 2).sum() / 2


def layernorm_model(t):
    return ((layer_norm(t["H"], t["g"], t["b"]) - t["Y"]) ** 2).sum() / 2


def gelu_model(t):
    return ((gelu_erf(t["X"] @ t["W"]) - t["Y"]) ** 2).sum() / 2


MODELS = {
    "transformer": lambda t: transformer(t, spec.get("heads", 4)),
    "rnn": lambda t: rnn(t, spec.get("steps", 64)),
    "convnet": lambda t: convnet(t, spec.get("width", 3)),
    "layernorm": layernorm_model,
    "gelu": gelu_model,
}


def contender(loss_fn, dtype):
    """One timed gradient call (loss, then autograd's gradients of the params) and its last gradients."""
    t = {n: torch.tensor(a, dtype=dtype, requires_grad=n in spec["params"]) for n, a in arrays.items()}
    params = [t[p] for p in spec["params"]]
    state = {"grads": None}

    def run():
        loss = loss_fn(t)
        state["grads"] = torch.autograd.grad(loss, params)

    return run, state


model = MODELS[spec["model"]]
runs = {
    "PyTorch autograd float64": contender(model, torch.float64),
    "PyTorch autograd float32": contender(model, torch.float32),
}
if spec.get("exported"):
    loader = importlib.util.spec_from_file_location("exported", spec["exported"])
    mod = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(mod)
    names = mod._NAMES
    runs["matcalc torch.autograd.Function float64"] = contender(
        lambda t: mod.LFunction.apply(*(t[n] for n in names)), torch.float64
    )
# Interleaved: every round runs each contender once, the order rotating, so that a change in the machine's
# load falls on all of them alike.
keys = list(runs)
ms = {k: [] for k in keys}
for r in range(spec["rounds"]):
    for i in range(len(keys)):
        k = keys[(i + r) % len(keys)]
        start = time.perf_counter()
        runs[k][0]()
        ms[k].append((time.perf_counter() - start) * 1000)
out = {
    k: {
        "ms": ms[k],
        "grads": {p: g.double().reshape(-1).tolist() for p, g in zip(spec["params"], runs[k][1]["grads"])},
    }
    for k in keys
}
print(json.dumps(out))
