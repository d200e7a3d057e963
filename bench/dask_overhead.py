"""The Dask backend's overhead against the thread backend, on the same machine.

    python bench/dask_overhead.py [--p 400] [--n 5000] [--repeat 1]

All-pairs KSG on a LocalCluster of 2 single-thread worker processes against the
thread backend with 2 threads, one after the other in one run. Both are warmed up
first (Numba compiles in this process and in each worker), so the times compare the
steady state: the Dask time includes scattering the prepared data and gathering the
tiles, not starting the cluster (reported on its own line). Prints the overhead,
dask time / thread time - 1, and checks that the two matrices are bitwise equal.
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np
from distributed import Client, LocalCluster

import fastmi


def continuous_table(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 1::2] += X[:, ::2]
    return X


def best_time(function, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p", type=int, default=400)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    X = continuous_table(args.n, args.p)
    warm = X[:500, :8]
    print(f"# all-pairs KSG, P = {args.p}, N = {args.n}, best of {args.repeat}")
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        print(f"cluster start            {time.perf_counter() - start:8.2f} s")
        fastmi.pairwise_mi(warm, n_jobs=2)
        fastmi.pairwise_mi(warm, backend="dask", client=client, tile_size=2)  # both workers
        threads, expected = best_time(lambda: fastmi.pairwise_mi(X, n_jobs=2), args.repeat)
        dask, result = best_time(
            lambda: fastmi.pairwise_mi(X, backend="dask", client=client), args.repeat
        )
    assert np.array_equal(result, expected, equal_nan=True), "backends differ"
    print(f"threads (2 Numba threads) {threads:8.2f} s")
    print(f"dask (2 workers x 1)      {dask:8.2f} s")
    print(f"overhead                  {100 * (dask / threads - 1):+7.1f} %  (target <= 20 %)")
    print(f"# numba {numba.__version__}, matrices bitwise equal")


if __name__ == "__main__":
    main()
