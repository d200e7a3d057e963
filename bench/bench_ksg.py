"""KSG mutual information of one pair: fastmi against scikit-learn, threads, strategies.

pytest bench/bench_ksg.py --benchmark-columns=min,median --benchmark-group-by=group
"""

import math

import numpy as np
import pytest

import fastmi
from fastmi._continuous import prepare_points
from fastmi.kernels._ksg import _ksg_mi_brute, _ksg_mi_strips

SIZES = [10**3, 10**4, 10**5]


def pair(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x, x + rng.normal(size=n)


@pytest.mark.parametrize("n", SIZES)
def test_ksg_pair_fastmi(benchmark, numba_threads, n):
    numba_threads(1)
    x, y = pair(n)
    fastmi.mi(x, y)  # compile outside the timer
    benchmark.group = f"ksg pair, 1 thread, n={n:.0e}"
    benchmark(fastmi.mi, x, y)


@pytest.mark.parametrize("n", SIZES)
def test_ksg_pair_sklearn(benchmark, n):
    feature_selection = pytest.importorskip("sklearn.feature_selection")
    x, y = pair(n)
    benchmark.group = f"ksg pair, 1 thread, n={n:.0e}"
    result = benchmark(feature_selection.mutual_info_regression, x[:, None], y, n_neighbors=3)
    # Same estimate; at 1e5 samples the two 1e-10 jitters can reorder near-ties.
    assert result[0] == pytest.approx(fastmi.mi(x, y), abs=1e-4)


@pytest.mark.parametrize("n_threads", [1, 2])
def test_ksg_large_pair_threads(benchmark, numba_threads, n_threads):
    numba_threads(n_threads)
    x, y = pair(10**5)
    fastmi.mi(x, y)
    benchmark.group = "ksg pair, n=1e5, threads"
    benchmark(fastmi.mi, x, y)


@pytest.mark.parametrize("n", [20, 40, 100, 500])
@pytest.mark.parametrize("strategy", ["brute", "strips"])
def test_ksg_strategy(benchmark, n, strategy):
    """The measurement behind fastmi._config.KSG_BRUTE_FORCE_MAX_N."""
    x, y = pair(n)
    px, py = (prepare_points([("v", v)], "ksg", 3, jitter=1e-10, seed=0) for v in (x, y))
    if strategy == "brute":
        args = (_ksg_mi_brute, px, py, 3, 1)
    else:
        args = (_ksg_mi_strips, px, py, 3, 1, max(1, math.isqrt(n // 2)))
    args[0](*args[1:])
    benchmark.group = f"ksg strategy n={n}"
    benchmark(*args)
