"""Time fastmi and its peers side by side in one run and print the speed ratios.

    python bench/compare.py [--repeat 7]

Workloads (this grows with the estimators): discrete MI of one pair of integer or
string labels at n = 1e4, 1e5, 1e6, against scikit-learn's mutual_info_score; KSG MI
of one pair at n = 1e3, 1e4, 1e5 on one thread against mutual_info_regression; one
KSG pair of 1e5 samples on 2 threads against 1 thread. Each
timing is the best of --repeat runs after one warm-up call (so Numba compile time is
excluded; it is measured separately by the cold-start line).
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time

import numba
import numpy as np

import fastmi


def best_time(function, *args, repeat: int) -> float:
    function(*args)  # warm-up: compile, fill caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def labels(n, levels=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n)
    return x, (x + rng.integers(0, 3, n)) % levels


def cold_start_seconds() -> float:
    code = "import fastmi; fastmi.mi([0, 1, 1], [1, 0, 1])"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from sklearn import __version__ as sklearn_version
    from sklearn.metrics import mutual_info_score

    print(
        f"# {platform.processor() or platform.machine()}, {numba.config.NUMBA_NUM_THREADS} "
        f"cores, Python {platform.python_version()}, fastmi {fastmi.__version__}, "
        f"numba {numba.__version__}, numpy {np.__version__}, scikit-learn {sklearn_version}"
    )
    print(f"{'workload':<34} {'fastmi':>10} {'sklearn':>10} {'ratio':>7}")
    for kind in ["int", "str"]:
        for n in [10**4, 10**5, 10**6]:
            x, y = labels(n)
            if kind == "str":
                x, y = x.astype(str), y.astype(str)
            ours = best_time(fastmi.mi, x, y, repeat=args.repeat)
            theirs = best_time(mutual_info_score, x, y, repeat=args.repeat)
            name = f"discrete mi, {kind} labels, n={n:.0e}"
            print(f"{name:<34} {ours * 1e3:8.2f}ms {theirs * 1e3:8.2f}ms {theirs / ours:6.1f}x")
    from sklearn.feature_selection import mutual_info_regression

    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    for n in [10**3, 10**4, 10**5]:
        rng = np.random.default_rng(0)
        x = rng.normal(size=n)
        y = x + rng.normal(size=n)
        ours = best_time(fastmi.mi, x, y, repeat=args.repeat)
        theirs = best_time(mutual_info_regression, x[:, None], y, repeat=max(1, args.repeat // 3))
        name = f"ksg mi, 1 thread, n={n:.0e}"
        print(f"{name:<34} {ours * 1e3:8.2f}ms {theirs * 1e3:8.2f}ms {theirs / ours:6.1f}x")
    one = best_time(fastmi.mi, x, y, repeat=args.repeat)
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    two = best_time(fastmi.mi, x, y, repeat=args.repeat)
    numba.set_num_threads(previous)
    print(
        f"{'ksg mi, n=1e+05, 2 vs 1 threads':<34} {two * 1e3:8.2f}ms {one * 1e3:8.2f}ms "
        f"{one / two:6.2f}x"
    )
    print(f"first call in a fresh process (warm cache): {cold_start_seconds():.2f} s")


if __name__ == "__main__":
    main()
