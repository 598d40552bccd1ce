#!/usr/bin/env python3
"""Time numpy float32 matmul (numpy's bundled OpenBLAS) as the comparison point for
zoo-kernel-bench's oneDNN GEMM figures.

Prints the same tab-separated RESULT lines as zoo-kernel-bench:
  RESULT  kernel  shape  threads  median_ms  best_ms  GFLOP/s  %FMA-peak  impl  layouts  check

Threads are limited with threadpoolctl when it is installed; otherwise each thread count
runs in a child process started with OPENBLAS_NUM_THREADS (read by OpenBLAS at load).
OPENBLAS_CORETYPE is left as the machine sets it.
"""
import argparse
import ctypes
import glob
import os
import statistics
import subprocess
import sys
import time

import numpy as np

FMA_PEAK_GFLOPS_PER_CORE = 262.0


def openblas_info():
    """(core name, thread count) reported by numpy's bundled OpenBLAS, if it can be found."""
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "libscipy_openblas*.so")):
        lib = ctypes.CDLL(path)
        for suffix in ("64_", "", "_64"):
            try:
                corename = getattr(lib, "scipy_openblas_get_corename" + suffix)
                nthreads = getattr(lib, "scipy_openblas_get_num_threads" + suffix)
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            return corename().decode(), nthreads()
    return "?", -1


def bench(size, threads, runs, warmup):
    rng = np.random.default_rng(size)
    a = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    b = rng.uniform(-1, 1, (size, size)).astype(np.float32)
    c = np.empty((size, size), dtype=np.float32)
    for _ in range(max(1, warmup)):
        np.matmul(a, b, out=c)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        samples.append(time.perf_counter() - t0)
    # Spot check a few entries against float64 dot products.
    ok = True
    pts = np.random.default_rng(7).integers(0, size, (16, 2))
    for i, j in pts:
        prod = a[i, :].astype(np.float64) * b[:, j].astype(np.float64)
        if abs(float(c[i, j]) - prod.sum()) > 1e-4 * np.abs(prod).sum():
            ok = False
    med, best = statistics.median(samples), min(samples)
    gflops = 2.0 * size ** 3 / med / 1e9
    pct = 100 * gflops / (FMA_PEAK_GFLOPS_PER_CORE * threads)
    core, nthr = openblas_info()
    impl = f"OpenBLAS {core} ({nthr} thr)"
    fields = ["RESULT", "numpy matmul", f"{size}\u00b3", str(threads), f"{med * 1e3:.4f}",
              f"{best * 1e3:.4f}", f"{gflops:.2f}", f"{pct:.2f}", impl, "C·C→C",
              "ok" if ok else "FAIL"]
    print("\t".join(fields), flush=True)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--sizes", default="2048,4096", help="comma-separated square sizes")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]
    sizes = [int(s) for s in args.sizes.split(",")]

    ok = True
    if args.child:  # OPENBLAS_NUM_THREADS already set by the parent
        for s in sizes:
            ok &= bench(s, thread_counts[0], args.runs, args.warmup)
        return 0 if ok else 1

    print(f"# numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}",
          flush=True)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for t in thread_counts:
        if threadpool_limits is not None:
            with threadpool_limits(limits=t, user_api="blas"):
                for s in sizes:
                    ok &= bench(s, t, args.runs, args.warmup)
        else:
            env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t))
            cmd = [sys.executable, os.path.abspath(__file__), "--child", "--threads", str(t),
                   "--sizes", args.sizes, "--runs", str(args.runs), "--warmup", str(args.warmup)]
            ok &= subprocess.run(cmd, env=env).returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
