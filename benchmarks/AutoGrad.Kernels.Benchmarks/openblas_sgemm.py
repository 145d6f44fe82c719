"""OpenBLAS sgemm on the same shapes as Program.cs, for a side-by-side comparison.

Needs Debian's numpy linked to OpenBLAS (apt-get install -y python3-numpy libopenblas0-pthread)
and the system interpreter; see README.md for the command line.
"""
import time

import numpy as np

SHAPES = [
    ("1024^3 A·B", "N", 1024, 1024, 1024),
    ("1024^3 Aᵀ·B", "A", 1024, 1024, 1024),
    ("1024^3 A·Bᵀ", "B", 1024, 1024, 1024),
    ("fc1 forward   X·W1 (256x784 · 784x64)", "N", 256, 784, 64),
    ("fc2 forward   (256x64 · 64x64)", "N", 256, 64, 64),
    ("fc3 forward   (256x64 · 64x10)", "N", 256, 64, 10),
    ("fc1 dW = Xᵀ·dY (784x256 · 256x64)", "A", 784, 256, 64),
    ("fc2 dW = Xᵀ·dY (64x256 · 256x64)", "A", 64, 256, 64),
    ("fc3 dW = Xᵀ·dY (64x256 · 256x10)", "A", 64, 256, 10),
    ("fc2 dX = dY·Wᵀ (256x64 · 64x64)", "B", 256, 64, 64),
    ("fc3 dX = dY·Wᵀ (256x10 · 10x64)", "B", 256, 10, 64),
    ("fc1 dX = dY·Wᵀ (256x64 · 64x784)", "B", 256, 64, 784),
]

for name, variant, m, k, n in SHAPES:
    rng = np.random.default_rng(42)
    a = rng.random((k, m) if variant == "A" else (m, k), dtype=np.float32) - 0.5
    b = rng.random((n, k) if variant == "B" else (k, n), dtype=np.float32) - 0.5
    c = np.empty((m, n), dtype=np.float32)
    left = a.T if variant == "A" else a
    right = b.T if variant == "B" else b
    flops = 2.0 * m * n * k
    repetitions = int(min(max(2e9 / flops, 1), 100_000))
    for _ in range(max(3, repetitions // 4)):
        np.matmul(left, right, out=c)
    best = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(repetitions):
            np.matmul(left, right, out=c)
        best = min(best, (time.perf_counter() - start) / repetitions)
    print(f"{name:<40} {best * 1e6:10.1f} us {flops / best / 1e9:8.1f} GFLOP/s")
