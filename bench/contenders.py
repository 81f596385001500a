# Python contenders for bench/codegen.ts and bench/gemm.ts, driven over stdin/stdout one command a line, so
# that a Node process can interleave them with its own contenders round by round:
#   load PATH n d h k        -> "ok NAME|NAME|..."   (float64 X, Y, W1, b1, W2, b2 concatenated at PATH)
#   time NAME forward|gradient -> milliseconds of one call (the 2-layer relu MLP, softmax cross-entropy / n)
#   dump NAME PATH            -> "ok LOSS"; writes the four gradients (W1, b1, W2, b2) as float64 to PATH
#   gemm m n k tA tB inner    -> milliseconds per call of op(A)·op(B) (float64), timed over `inner` calls
#   gemmcpu m n k tA tB inner -> the same, then the process CPU time per call (ms): "wall cpu"
#   info                      -> one line naming the libraries (NumPy and its BLAS, PyTorch and its threads)
# Usage: python3 contenders.py numpy|torch   (NumPy's BLAS threads come from OPENBLAS_NUM_THREADS at start)
import sys
import time

import numpy as np

KIND = sys.argv[1] if len(sys.argv) > 1 else "numpy"
if KIND == "torch":
    import torch


def numpy_mlp(v, n):
    X, Y, W1, b1, W2, b2 = v

    def forward():
        Z2 = np.maximum(X @ W1 + b1, 0) @ W2 + b2
        m = Z2.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(Z2 - m).sum(axis=1))
        return float((lse - (Y * Z2).sum(axis=1)).sum() / n)

    def gradient():
        Z1 = X @ W1 + b1
        H = np.maximum(Z1, 0)
        Z2 = H @ W2 + b2
        E = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
        D2 = (E / E.sum(axis=1, keepdims=True) - Y) / n
        G1 = (D2 @ W2.T) * (Z1 > 0)
        return [X.T @ G1, G1.sum(axis=0), H.T @ D2, D2.sum(axis=0)]

    return forward, gradient


def torch_mlp(v, n, dtype, threads):
    X, Y, W1, b1, W2, b2 = [torch.tensor(a, dtype=dtype) for a in v]
    params = [W1, b1, W2, b2]
    for p in params:
        p.requires_grad_(True)

    def loss():
        Z2 = torch.relu(X @ W1 + b1) @ W2 + b2
        return (torch.logsumexp(Z2, dim=1) - (Y * Z2).sum(dim=1)).sum() / n

    def forward():
        torch.set_num_threads(threads)
        with torch.no_grad():
            return float(loss())

    def gradient():
        torch.set_num_threads(threads)
        return [g.numpy() for g in torch.autograd.grad(loss(), params)]

    return forward, gradient


def load(path, n, d, h, k):
    flat = np.fromfile(path, dtype=np.float64)
    sizes = [(n, d), (n, k), (d, h), (h,), (h, k), (k,)]
    out, at = [], 0
    for s in sizes:
        size = int(np.prod(s))
        out.append(flat[at : at + size].reshape(s).copy())
        at += size
    return out


def blas_name():
    try:
        cfg = np.show_config(mode="dicts")
        return cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        return "unknown BLAS"


def main():
    runners = {}
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "load":
            n, d, h, k = map(int, cmd[2:6])
            v = load(cmd[1], n, d, h, k)
            if KIND == "torch":
                for dtype, tag in [(torch.float64, "float64"), (torch.float32, "float32")]:
                    for threads in (1, 2):
                        runners[f"PyTorch {tag}, {threads} thread{'s' if threads > 1 else ''}"] = torch_mlp(
                            v, n, dtype, threads
                        )
            else:
                runners["NumPy"] = numpy_mlp(v, n)
            print("ok " + "|".join(runners), flush=True)
        elif cmd[0] == "time":
            name = " ".join(cmd[1:-1])
            f = runners[name][0 if cmd[-1] == "forward" else 1]
            t = time.perf_counter()
            f()
            print((time.perf_counter() - t) * 1e3, flush=True)
        elif cmd[0] == "dump":
            name = " ".join(cmd[1:-1])
            forward, gradient = runners[name]
            np.concatenate([np.asarray(g, dtype=np.float64).ravel() for g in gradient()]).tofile(cmd[-1])
            print(f"ok {forward()!r}", flush=True)
        elif cmd[0] in ("gemm", "gemmcpu"):
            m, n, k, ta, tb, inner = map(int, cmd[1:7])
            rng = np.random.default_rng(1)
            A = rng.random((k, m)).T if ta else rng.random((m, k))
            B = rng.random((n, k)).T if tb else rng.random((k, n))
            t, cpu = time.perf_counter(), time.process_time()
            for _ in range(inner):
                A @ B
            wall = (time.perf_counter() - t) * 1e3 / inner
            cpu = (time.process_time() - cpu) * 1e3 / inner
            print(wall if cmd[0] == "gemm" else f"{wall} {cpu}", flush=True)
        elif cmd[0] == "info":
            text = f"NumPy {np.__version__} ({blas_name()})"
            if KIND == "torch":
                text += f", PyTorch {torch.__version__} ({torch.__config__.show().count('BLAS_INFO=generic') and 'generic BLAS' or 'BLAS'})"
            print(text, flush=True)
        else:
            print(f"error unknown command {cmd[0]}", flush=True)


main()
