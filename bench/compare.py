"""Time fastmi and its peers side by side in one run and print the speed ratios.

    python bench/compare.py [--repeat 7]

Workloads: discrete MI of one pair of integer or string labels at n = 1e4, 1e5, 1e6,
against scikit-learn's mutual_info_score; KSG MI of one pair at n = 1e3, 1e4, 1e5 on
one thread against mutual_info_regression; one KSG pair of 1e5 samples on 2 threads
against 1; with --pairwise, the all-pairs workloads on 2 threads: KSG at P = 200,
N = 5,000 against the scikit-learn loop (n_jobs=2) and ennemi.pairwise_mi; discrete at
P = 1,000, N = 10,000 against the bare counting loop and the mutual_info_score loop;
mi_with_target against mutual_info_regression. Peers too slow to run in full are timed
on a subset of the same pairs and scaled per pair (said so in the output). Each
timing is the best of --repeat runs after one warm-up call (so Numba compile time is
excluded; it is measured separately by the cold-start line).
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from pathlib import Path

import numba
import numpy as np

import fastmi

sys.path.insert(0, str(Path(__file__).parent))  # the bare counting loop (yardstick.py)


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
    parser.add_argument("--pairwise", action="store_true", help="all-pairs workloads too")
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
    if args.pairwise:
        pairwise_workloads()


def row(name, ours, theirs, note=""):
    print(f"{name:<44} {ours:9.2f}s {theirs:9.2f}s {theirs / ours:7.1f}x {note}")


def pairwise_workloads() -> None:
    import ennemi
    from sklearn.feature_selection import mutual_info_regression
    from sklearn.metrics import mutual_info_score
    from yardstick import all_pairs, bare_counting_loop

    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    print(f"\n{'all pairs, 2 threads':<44} {'fastmi':>10} {'peer':>10} {'ratio':>8}")
    rng = np.random.default_rng(0)
    n, p = 5000, 200
    X = rng.normal(size=(n, p))
    X[:, 1::2] += X[:, ::2]
    fastmi.pairwise_mi(X[:700, :3])
    ours = best_time(fastmi.pairwise_mi, X, repeat=1)
    pairs = p * (p - 1) / 2
    print(f"  fastmi ksg P={p} N={n}: {ours / pairs * 1e3:.3f} ms per pair (2 threads)")
    columns = 4  # the loop users write: one mutual_info_regression call per column
    start = time.perf_counter()
    for j in range(columns):
        mutual_info_regression(X, X[:, j], n_jobs=2)
    loop = (time.perf_counter() - start) / columns * p
    row(f"ksg P={p} N={n} vs sklearn loop", ours, loop, f"({columns} of {p} columns timed)")
    subset = 24
    start = time.perf_counter()
    ennemi.pairwise_mi(X[:, :subset])
    per_pair = (time.perf_counter() - start) / (subset * (subset - 1) / 2)
    row(
        f"ksg P={p} N={n} vs ennemi.pairwise_mi",
        ours,
        per_pair * pairs,
        f"({subset} of {p} columns timed)",
    )
    print(
        f"  extrapolated fastmi ksg P=1000 N=1e4: per pair at N=1e4 x 499,500 pairs = "
        f"{ksg_pair_cost(10_000) * 499_500 / 60:.1f} min on 2 threads"
    )

    n, p = 10_000, 1000
    for levels in (2, 8, 16):
        X = rng.integers(0, levels, size=(n, p))
        fastmi.pairwise_mi(X[:100, :3])
        ours = best_time(fastmi.pairwise_mi, X, repeat=2)
        codes = np.ascontiguousarray(X.T, dtype=np.int64)
        pairs_array = all_pairs(p)
        out = np.empty(len(pairs_array))
        bare = best_time(bare_counting_loop, codes, levels, pairs_array, out, repeat=2)
        row(f"discrete P={p} N={n} L={levels} vs bare loop", ours, bare)
    start = time.perf_counter()
    for j in range(1, 201):
        mutual_info_score(X[:, 0], X[:, j])
    sk = (time.perf_counter() - start) / 200 * pairs_array.shape[0]
    row(f"discrete P={p} N={n} L=16 vs sklearn loop", ours, sk, "(200 pairs timed)")

    X = rng.normal(size=(10_000, 100))
    y = X[:, 0] + X[:, 1] ** 2 + rng.normal(size=10_000)
    fastmi.mi_with_target(X[:700, :2], y[:700])
    ours = best_time(fastmi.mi_with_target, X, y, repeat=2)
    theirs = best_time(lambda: mutual_info_regression(X, y, n_jobs=2), repeat=1)
    row("mi_with_target P=100 N=1e4 vs sklearn (n_jobs=2)", ours, theirs)


def ksg_pair_cost(n: int) -> float:
    """Seconds per KSG pair of n samples inside pairwise_mi on the current threads."""
    X = np.random.default_rng(1).normal(size=(n, 16))
    return best_time(fastmi.pairwise_mi, X, repeat=1) / (16 * 15 / 2)


if __name__ == "__main__":
    main()
