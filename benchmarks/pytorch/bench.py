#!/usr/bin/env python3
"""PyTorch (autograd) side of the AutoGrad side-by-side benchmarks.

Each workload is checked once for correctness, warmed up, then timed: every repeat runs
`calls` calls back to back (calibrated so one repeat lasts about --min-time seconds) and
the reported time is the median per-call time over the repeats. One JSON object per
workload goes to stdout; --json PATH also writes all of them as one JSON array.
Environment details go to stderr.

Run it through run.sh (Debian python3-torch + OpenBLAS, /usr/bin/python3).
"""

import argparse
import ctypes
import gc
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

GROUPS = ["seed", "rosenbrock", "rnn", "logreg", "mlp", "fashion", "sgemm", "modes"]
OPT_IN = {"fashion", "sgemm", "modes"}   # run only when named (fashion also with --fashion DIR)


# --------------------------------------------------------------------------- helpers

def set_blas_threads(n):
    """Debian's torch is built with BLAS_INFO=generic, so torch.set_num_threads does not
    reach OpenBLAS, which would otherwise run sgemm on every core. Set it directly.
    Returns the OpenBLAS thread count now in effect, or None if OpenBLAS is not found."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_set_num_threads(int(n))
            return int(lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def blas_config():
    """OpenBLAS's build string and the kernels ("core") it runs, which run.sh chooses."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return f"{lib.openblas_get_config().decode()}, core {lib.openblas_get_corename().decode()}"
        except (OSError, AttributeError):
            continue
    return "not OpenBLAS (reference BLAS?)"


def blas_core():
    """The OpenBLAS kernel set in use (e.g. Cooperlake, Prescott), or None."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return None


def measure(fn, repeats, min_time):
    """Warm up, calibrate a call count, then return (median seconds per call, calls per
    repeat, all per-call samples). Garbage collection is off while timing, as in timeit."""
    # Warm-up: at least 3 calls and at least min_time seconds.
    t0 = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - t0 < min_time:
        fn()
        warm += 1
    per_call = (time.perf_counter() - t0) / warm
    calls = max(1, int(min_time / per_call))

    samples = []
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            t = time.perf_counter()
            for _ in range(calls):
                fn()
            samples.append((time.perf_counter() - t) / calls)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(samples), calls, samples


def close(x, y, rtol=1e-9, atol=1e-12):
    return abs(x - y) <= atol + rtol * abs(y)


class Results:
    def __init__(self, threads, blas_threads):
        self.items = []
        self.threads = threads
        self.blas_threads = blas_threads
        self.blas_core = blas_core()

    def add(self, workload, n, sec, calls, repeats, notes, **extra):
        rec = {
            "workload": workload,
            "n": n,
            "ms_per_call": round(sec * 1e3, 6),
            "us_per_call": round(sec * 1e6, 3),
            "calls": calls,
            "repeats": repeats,
            "threads": self.threads,
            "blas_threads": self.blas_threads,
            "blas_core": self.blas_core,
        }
        rec.update(extra)
        rec["notes"] = notes
        self.items.append(rec)
        print(json.dumps(rec), flush=True)


def check(ok, what):
    if not ok:
        raise SystemExit(f"check failed: {what}")
    return "ok"


# --------------------------------------------------------------------------- 1. seed

def bench_seed(args, res):
    dt = torch.float64
    a = torch.tensor(1.0, dtype=dt, requires_grad=True)
    b = torch.tensor(2.0, dtype=dt, requires_grad=True)
    c = torch.tensor(3.0, dtype=dt, requires_grad=True)
    d = torch.tensor(4.0, dtype=dt, requires_grad=True)
    params = [a, b, c, d]

    def grad():
        f = ((a + b) * (c + d)) ** 2          # fresh graph every call
        return f, torch.autograd.grad(f, params)

    f, g = grad()
    status = check(f.item() == 441.0 and g[0].item() == 294.0 and g[1].item() == 294.0
                   and g[2].item() == 126.0 and g[3].item() == 126.0,
                   f"seed: f={f.item()}, grad={[x.item() for x in g]}")
    sec, calls, _ = measure(grad, args.repeats, args.min_time)
    res.add("seed_grad", 1, sec, calls, args.repeats,
            "f(a,b,c,d)=((a+b)*(c+d))**2 on 0-d float64 tensors with requires_grad, "
            "forward + torch.autograd.grad, fresh graph each call, at (1,2,3,4)",
            value=f.item(), grad=[x.item() for x in g], check=status)


# --------------------------------------------------------------------------- 2. Rosenbrock

def rosenbrock(x):
    head, tail = x[:-1], x[1:]
    return (100.0 * (tail - head * head) ** 2 + (1.0 - head) ** 2).sum()


def rosenbrock_grad_reference(x):
    """Hand-written gradient (numpy) for the correctness check."""
    g = np.zeros_like(x)
    h, t = x[:-1], x[1:]
    r = t - h * h
    g[:-1] += -400.0 * r * h - 2.0 * (1.0 - h)
    g[1:] += 200.0 * r
    return g


def bench_rosenbrock(args, res):
    gen = torch.Generator().manual_seed(1)
    for n in args.rosen_sizes:
        x = (torch.rand(n, dtype=torch.float64, generator=gen) * 2.0 - 1.0).requires_grad_(True)

        def grad():
            f = rosenbrock(x)
            return f, torch.autograd.grad(f, [x])[0]

        def primal():
            with torch.no_grad():
                return rosenbrock(x)

        f, g = grad()
        xn = x.detach().numpy()
        ref_f = float(np.sum(100.0 * (xn[1:] - xn[:-1] ** 2) ** 2 + (1.0 - xn[:-1]) ** 2))
        ref_g = rosenbrock_grad_reference(xn)
        status = check(close(f.item(), ref_f, 1e-12)
                       and np.allclose(g.numpy(), ref_g, rtol=1e-12, atol=1e-12),
                       f"rosenbrock n={n}")
        sec, calls, _ = measure(grad, args.repeats, args.min_time)
        res.add("rosenbrock_grad", n, sec, calls, args.repeats,
                "sum_{i<n-1} 100*(x[i+1]-x[i]^2)^2 + (1-x[i])^2, float64, vectorised "
                "(slices), forward + torch.autograd.grad, x uniform in (-1,1) seed 1",
                value=f.item(), check=status)
        sec, calls, _ = measure(primal, args.repeats, args.min_time)
        res.add("rosenbrock_primal", n, sec, calls, args.repeats,
                "same function, primal only under torch.no_grad()", value=f.item())


# --------------------------------------------------------------------------- 3. RNN cell

def bench_rnn(args, res):
    steps = 100
    dt = torch.float64
    gen = torch.Generator().manual_seed(2)
    xs = torch.randn(steps, dtype=dt, generator=gen).tolist()   # plain doubles (data)
    w0, u0, b0 = 0.5, 0.8, 0.1
    w = torch.tensor(w0, dtype=dt, requires_grad=True)
    u = torch.tensor(u0, dtype=dt, requires_grad=True)
    b = torch.tensor(b0, dtype=dt, requires_grad=True)
    h0 = torch.tensor(0.0, dtype=dt)

    def forward(w, u, b):
        h = h0
        for xt in xs:
            h = torch.tanh(w * h + u * xt + b)
        return h * h

    def grad():
        loss = forward(w, u, b)
        return loss, torch.autograd.grad(loss, [w, u, b])

    # Check against central finite differences in plain Python floats.
    def loss_float(wv, uv, bv):
        h = 0.0
        for xt in xs:
            h = math.tanh(wv * h + uv * xt + bv)
        return h * h

    loss, g = grad()
    eps = 1e-6
    fd = [(loss_float(w0 + eps, u0, b0) - loss_float(w0 - eps, u0, b0)) / (2 * eps),
          (loss_float(w0, u0 + eps, b0) - loss_float(w0, u0 - eps, b0)) / (2 * eps),
          (loss_float(w0, u0, b0 + eps) - loss_float(w0, u0, b0 - eps)) / (2 * eps)]
    status = check(close(loss.item(), loss_float(w0, u0, b0), 1e-12)
                   and all(close(gi.item(), fi, 1e-6, 1e-9) for gi, fi in zip(g, fd)),
                   f"rnn: grad={[x.item() for x in g]} fd={fd}")
    sec, calls, _ = measure(grad, args.repeats, args.min_time)
    res.add("rnn_tanh_grad", steps, sec, calls, args.repeats,
            "h_{t+1}=tanh(w*h_t+u*x_t+b), h_0=0, 100 steps, loss=h_100^2; w,u,b 0-d float64 "
            "tensors (0.5,0.8,0.1), x 100 python floats (randn seed 2); scalar ops, "
            "gradient wrt w,u,b",
            value=loss.item(), grad=[x.item() for x in g], check=status)


# --------------------------------------------------------------------------- 4. logistic regression

def bench_logreg(args, res):
    n, k = 1000, 10
    dt = torch.float64
    gen = torch.Generator().manual_seed(3)
    X = torch.randn(n, k, dtype=dt, generator=gen)
    w_true = torch.randn(k, dtype=dt, generator=gen)
    y = torch.bernoulli(torch.sigmoid(X @ w_true), generator=gen)
    w = (0.1 * torch.randn(k, dtype=dt, generator=gen)).requires_grad_(True)
    b = torch.tensor(0.0, dtype=dt, requires_grad=True)

    def grad():
        loss = F.binary_cross_entropy_with_logits(X @ w + b, y)   # mean over samples
        return loss, torch.autograd.grad(loss, [w, b])

    loss, (gw, gb) = grad()
    with torch.no_grad():
        p = torch.sigmoid(X @ w + b)
        ref_loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
        ref_gw = X.T @ (p - y) / n
        ref_gb = (p - y).mean()
    status = check(close(loss.item(), ref_loss.item(), 1e-10)
                   and torch.allclose(gw, ref_gw, rtol=1e-10, atol=1e-14)
                   and close(gb.item(), ref_gb.item(), 1e-10, 1e-14), "logreg")
    sec, calls, _ = measure(grad, args.repeats, args.min_time)
    res.add("logreg_grad", n, sec, calls, args.repeats,
            "mean binary cross-entropy of sigmoid(X@w+b), 1000 samples x 10 features, "
            "float64, F.binary_cross_entropy_with_logits, gradient wrt w (10) and b",
            value=loss.item(), check=status)


# --------------------------------------------------------------------------- 4b. derivative modes

def bench_modes(args, res):
    """Forward mode and Hessian-vector products through torch.autograd.functional (jvp, hvp)
    beside the primal and the gradient, on Rosenbrock (n = 1000) and the logistic regression
    (1000 x 10, parameters w and b as one vector of 11). Each jvp is checked against the
    gradient dotted with v, each hvp against central differences of the gradient."""
    gen = torch.Generator().manual_seed(4)
    n, k = 1000, 10
    X = torch.randn(n, k, dtype=torch.float64, generator=gen)
    y = torch.bernoulli(torch.sigmoid(X @ torch.randn(k, dtype=torch.float64, generator=gen)), generator=gen)

    def logreg(theta):
        return F.binary_cross_entropy_with_logits(X @ theta[:k] + theta[k], y)

    problems = [
        ("rosenbrock", 1000, rosenbrock, torch.rand(1000, dtype=torch.float64, generator=gen) * 2.0 - 1.0),
        ("logreg", n, logreg, 0.1 * torch.randn(k + 1, dtype=torch.float64, generator=gen)),
    ]
    for name, size, f, x0 in problems:
        v = torch.rand(x0.shape, dtype=torch.float64, generator=gen) * 2.0 - 1.0

        def primal():
            with torch.no_grad():
                return f(x0)

        def grad():
            x = x0.detach().requires_grad_(True)
            value = f(x)
            return value, torch.autograd.grad(value, [x])[0]

        def jvp():
            return torch.autograd.functional.jvp(f, x0, v)

        def hvp():
            return torch.autograd.functional.hvp(f, x0, v)

        _, g = grad()
        _, tangent = jvp()
        _, product = hvp()
        step = 1e-6
        fd = (grad_at(f, x0 + step * v) - grad_at(f, x0 - step * v)) / (2 * step)
        status = check(close(tangent.item(), float(g @ v), 1e-9, 1e-12)
                       and torch.allclose(product, fd, rtol=1e-5, atol=1e-5), f"modes {name}")
        for kind, fn in (("primal", primal), ("grad", grad), ("jvp", jvp), ("hvp", hvp)):
            sec, calls, _ = measure(fn, args.repeats, args.min_time)
            how = f"torch.autograd.functional.{kind}" if kind in ("jvp", "hvp") else \
                "under torch.no_grad()" if kind == "primal" else "forward + torch.autograd.grad"
            res.add(f"modes_{name}_{kind}", size, sec, calls, args.repeats, f"{name}: {kind}, {how}, float64", check=status)


def grad_at(f, x):
    x = x.detach().requires_grad_(True)
    return torch.autograd.grad(f(x), [x])[0]


# --------------------------------------------------------------------------- 5. seed MLP

def make_mlp(fan_in_init=False):
    """784-64-64-64-10, ReLU. PyTorch's default Linear init, or with fan_in_init the rule of
    AutoGrad's Sequential.Initialize (Initialization.UniformFanIn): weights uniform in
    (-3/sqrt(fan-in), 3/sqrt(fan-in)), biases zero."""
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )
    if fan_in_init:
        with torch.no_grad():
            for layer in model:
                if isinstance(layer, torch.nn.Linear):
                    limit = 3 / math.sqrt(layer.in_features)
                    layer.weight.uniform_(-limit, limit)
                    layer.bias.zero_()
    return model


def train_step_fn(model, opt, batches):
    """Returns a closure that does one training step on the next batch (cycling)."""
    state = {"i": 0}

    def step():
        xb, yb = batches[state["i"]]
        state["i"] = (state["i"] + 1) % len(batches)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)    # softmax cross-entropy from logits
        loss.backward()
        opt.step()
        return loss

    return step


# The embedded MNIST set (data/mnist10k, 8,000 training images), as the AutoGrad runner's mlp mode.
MNIST10K = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "mnist10k")
ADAM_BATCHES = 31          # batches of 256: the training split's images that fill whole batches
SGD_SAMPLES = 1024
# Fixed step counts (warm-up, repeats, steps per repeat), as MlpRunner.AdamSteps / SgdSteps: both
# sides time the same stretch of training, whichever is faster.
ADAM_STEPS = (10 * ADAM_BATCHES, 20, ADAM_BATCHES)
SGD_STEPS = (SGD_SAMPLES, 16, 128)


def mlp_data(count):
    """The first `count` images (pixels / 255) and labels of the embedded MNIST training split:
    the same images, labels and order as the AutoGrad runner's mlp mode."""
    X, y = load_idx_pair(MNIST10K, "train", prefix="mnist10k")
    return X[:count], y[:count]


class Turns:
    """Strict alternation with another process (the AutoGrad runner's `mlp --turns`) over two
    FIFOs: take() waits for a byte on one, give() writes one to the other. Both are opened for
    reading and writing, which never blocks on Linux, so the processes may open them in any order."""

    def __init__(self, take_path, pass_path):
        self.take_fd = os.open(take_path, os.O_RDWR)
        self.pass_fd = os.open(pass_path, os.O_RDWR)

    def take(self):
        if not os.read(self.take_fd, 1):
            raise EOFError("turn pipe closed")

    def give(self):
        os.write(self.pass_fd, b"x")


class NoTurns:
    def take(self):
        pass

    def give(self):
        pass


def measure_steps(step, warmup, repeats, per_repeat, turns):
    """`warmup` steps, then `repeats` timed repeats of `per_repeat` steps: (median, fastest,
    slowest) seconds per step over the repeats. The caller holds the turn on entry; each repeat
    is a turn of its own. GC is off while timing, as in measure()."""
    for _ in range(warmup):
        step()
    turns.give()
    samples = []
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            turns.take()
            t = time.perf_counter()
            for _ in range(per_repeat):
                step()
            samples.append((time.perf_counter() - t) / per_repeat)
            turns.give()
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(samples), min(samples), max(samples)


def zero_gradients(model):
    """Elements of the last step's gradient that are exactly zero (most, once the ReLUs died)."""
    return sum(int((p.grad == 0).sum()) for p in model.parameters())


def bench_mlp(args, res):
    # Every stretch of work below (set-up and warm-up, each timed repeat, the checks after) is a turn
    # when --turns is given: compare-pytorch.sh interleaves it with the AutoGrad runner's.
    turns = Turns(*args.turns.split(",")) if args.turns else NoTurns()
    data_note = ("data: the first {} images of the embedded MNIST training split (data/mnist10k), pixels/255; "
                 "init: weights uniform in +-3/sqrt(fan-in), zero biases (AutoGrad's fan-in rule); "
                 "{} warm-up steps, then the median of {} repeats of {} steps")
    for name, seed, batch, count, make_opt, (warmup, repeats, per_repeat), what in [
            ("mlp_adam_step", 5, 256, 256 * ADAM_BATCHES, lambda p: torch.optim.Adam(p, lr=0.003), ADAM_STEPS, "Adam(lr=0.003)"),
            ("mlp_sgd_step", 6, 1, SGD_SAMPLES, lambda p: torch.optim.SGD(p, lr=0.01), SGD_STEPS, "SGD(lr=0.01)")]:
        turns.take()
        torch.manual_seed(seed)
        X, y = mlp_data(count)
        batches = [(X[i:i + batch].contiguous(), y[i:i + batch].contiguous()) for i in range(0, count, batch)]
        model = make_mlp(fan_in_init=True)
        opt = make_opt(model.parameters())
        step = train_step_fn(model, opt, batches)
        loss0 = step().item()
        sec, fastest, slowest = measure_steps(step, warmup, repeats, per_repeat, turns)
        turns.take()
        loss1 = step().item()
        zeros = zero_gradients(model)
        turns.give()
        status = check(math.isfinite(loss0) and math.isfinite(loss1), f"{name} loss finite")
        res.add(name, batch, sec, per_repeat, repeats,
                f"seed MLP 784-64-64-64-10 ReLU float32, F.cross_entropy on logits, zero_grad + forward + backward + "
                f"{what} step, batch {batch} cycling over {len(batches)} batches; " + data_note.format(count, warmup, repeats, per_repeat),
                samples_per_s=round(batch / sec), min_us=round(fastest * 1e6, 3), max_us=round(slowest * 1e6, 3),
                loss_first=loss0, loss_after=loss1, zero_gradients=zeros, check=status)
        print(f"# {name}: loss {loss0:.4f} -> {loss1:.4f}; {zeros:,} of "
              f"{sum(p.numel() for p in model.parameters()):,} gradient elements exactly zero", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- 6. Fashion-MNIST

def read_idx(path):
    with gzip.open(path, "rb") as fh:
        data = fh.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_idx_pair(directory, split, prefix="fashion"):
    stem = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(directory, f"{prefix}-{stem}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-{stem}-labels-idx1-ubyte.gz"))
    X = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    return X, y


def bench_fashion(args, res):
    Xtr, ytr = load_idx_pair(args.fashion, "train")
    Xte, yte = load_idx_pair(args.fashion, "test")
    torch.manual_seed(7)
    gen = torch.Generator().manual_seed(7)
    model = make_mlp()
    opt = torch.optim.Adam(model.parameters(), lr=0.003)
    epochs, bs = args.epochs, 256
    steps, epoch_log = 0, []

    t_start = time.perf_counter()
    for epoch in range(epochs):
        t_epoch = time.perf_counter()
        perm = torch.randperm(len(Xtr), generator=gen)
        total = 0.0
        for i in range(0, len(Xtr), bs):          # last batch is partial (60000 % 256)
            idx = perm[i:i + bs]
            xb, yb = Xtr[idx], ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            steps += 1
        epoch_log.append({"epoch": epoch + 1, "mean_loss": round(total / len(Xtr), 5),
                          "seconds": round(time.perf_counter() - t_epoch, 3)})
        print(json.dumps(epoch_log[-1]), file=sys.stderr, flush=True)
    train_s = time.perf_counter() - t_start

    with torch.no_grad():
        acc = (model(Xte).argmax(dim=1) == yte).double().mean().item()
    sec = train_s / steps
    res.add("mlp_fashion_train", len(Xtr), sec, steps, 1,
            f"seed MLP on Fashion-MNIST, {epochs} epochs, batch 256 shuffled (randperm seed 7), "
            "Adam 0.003, pixels/255; time covers shuffling, batch gathering, loss.item() per "
            "step; ms_per_call = train time / steps",
            train_seconds=round(train_s, 3), steps=steps, epochs=epochs,
            samples_per_s=round(epochs * len(Xtr) / train_s), test_accuracy=round(acc, 4),
            epoch_log=epoch_log)


# --------------------------------------------------------------------------- 7. sgemm

# c (m x n) = left (m x k) @ right (k x n); "A^T.B" stores left as k x m, "A.B^T" stores right as
# n x k (torch.mm passes the transposes to OpenBLAS, no copies). Same list as the compare
# runner's `matmul` mode (benchmarks/AutoGrad.Benchmarks/Compare/MlpRunner.cs).
SGEMM_SHAPES = [
    ("1024^3", "A·B", 1024, 1024, 1024),
    ("fc1 forward X·W1ᵀ", "A·Bᵀ", 256, 784, 64),
    ("fc2 forward", "A·Bᵀ", 256, 64, 64),
    ("fc4 forward", "A·Bᵀ", 256, 64, 10),
    ("fc1 dW = dYᵀ·X", "Aᵀ·B", 64, 256, 784),
    ("fc2 dW = dYᵀ·X", "Aᵀ·B", 64, 256, 64),
    ("fc4 dW = dYᵀ·X", "Aᵀ·B", 10, 256, 64),
    ("fc2 dX = dY·W", "A·B", 256, 64, 64),
    ("fc4 dX = dY·W", "A·B", 256, 10, 64),
]


def bench_sgemm(args, res):
    gen = torch.Generator().manual_seed(8)
    for name, variant, m, k, n in SGEMM_SHAPES:
        a = torch.rand((k, m) if variant == "Aᵀ·B" else (m, k), generator=gen) - 0.5
        b = torch.rand((n, k) if variant == "A·Bᵀ" else (k, n), generator=gen) - 0.5
        left = a.t() if variant == "Aᵀ·B" else a
        right = b.t() if variant == "A·Bᵀ" else b
        c = torch.empty(m, n)
        flops = 2.0 * m * n * k
        reps = int(min(max(2e8 / flops, 1), 100_000))
        for _ in range(max(3, reps // 2)):
            torch.mm(left, right, out=c)
        best = float("inf")
        for _ in range(7):
            t = time.perf_counter()
            for _ in range(reps):
                torch.mm(left, right, out=c)
            best = min(best, (time.perf_counter() - t) / reps)
        res.add("sgemm", m * k * n, best, reps, 7,
                "torch.mm float32 (OpenBLAS sgemm), best of 7; c = left @ right",
                shape=name, variant=variant, m=m, k=k, n_cols=n, gflops=round(flops / best / 1e9, 2))


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1,
                    help="torch.set_num_threads (default 1)")
    ap.add_argument("--blas-threads", type=int, default=None,
                    help="OpenBLAS threads (default: same as --threads)")
    ap.add_argument("--repeats", type=int, default=7, help="timed repeats (median)")
    ap.add_argument("--min-time", type=float, default=0.2,
                    help="seconds per repeat (and of warm-up)")
    ap.add_argument("--only", default=None,
                    help="comma list of: " + ",".join(GROUPS))
    ap.add_argument("--rosen-sizes", default="10,1000,100000")
    ap.add_argument("--fashion", default=None,
                    help="directory with fashion-*.gz: also train 2 epochs, report accuracy")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--turns", default=None, metavar="TAKE,PASS",
                    help="mlp group: take turns with the AutoGrad runner (mlp --turns) over two FIFOs")
    ap.add_argument("--json", default=None, help="write all results as a JSON array here")
    args = ap.parse_args()
    args.rosen_sizes = [int(s) for s in args.rosen_sizes.split(",")]

    torch.set_num_threads(args.threads)
    blas_threads = set_blas_threads(args.blas_threads or args.threads)
    torch.manual_seed(0)

    if args.only:
        groups = [g.strip() for g in args.only.split(",")]
        unknown = set(groups) - set(GROUPS)
        if unknown:
            ap.error(f"unknown workload group(s): {sorted(unknown)}")
    else:
        groups = [g for g in GROUPS if g not in OPT_IN or (g == "fashion" and args.fashion)]
    if "fashion" in groups and not args.fashion:
        ap.error("--only fashion needs --fashion DIR")

    print(f"# torch {torch.__version__}, numpy {np.__version__}, python "
          f"{sys.version.split()[0]}, torch threads {torch.get_num_threads()}, "
          f"OpenBLAS threads {blas_threads}, {blas_config()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')}",
          file=sys.stderr, flush=True)

    res = Results(torch.get_num_threads(), blas_threads)
    table = {"seed": bench_seed, "rosenbrock": bench_rosenbrock, "rnn": bench_rnn,
             "logreg": bench_logreg, "mlp": bench_mlp, "fashion": bench_fashion,
             "sgemm": bench_sgemm, "modes": bench_modes}
    for g in GROUPS:
        if g in groups:
            table[g](args, res)

    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res.items, fh, indent=1)
            fh.write("\n")


if __name__ == "__main__":
    main()
