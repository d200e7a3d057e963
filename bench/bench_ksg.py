"""KSG mutual information of one pair: fastmi against scikit-learn, threads, strategies.

pytest bench/bench_ksg.py --benchmark-columns=min,median --benchmark-group-by=group
"""

import math

import numba
import numpy as np
import pytest

import fastmi
from fastmi._continuous import prepare_continuous
from fastmi.kernels._knn import _ksg_mi_brute, _ksg_mi_grid

SIZES = [10**3, 10**4, 10**5]


def pair(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x, x + rng.normal(size=n)


@pytest.fixture
def threads():
    """Set Numba's thread count for one benchmark; restored afterwards."""
    previous = numba.get_num_threads()
    yield numba.set_num_threads
    numba.set_num_threads(previous)


@pytest.mark.parametrize("n", SIZES)
def test_ksg_pair_fastmi(benchmark, threads, n):
    threads(1)
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
def test_ksg_large_pair_threads(benchmark, threads, n_threads):
    threads(n_threads)
    x, y = pair(10**5)
    fastmi.mi(x, y)
    benchmark.group = "ksg pair, n=1e5, threads"
    benchmark(fastmi.mi, x, y)


@pytest.mark.parametrize("n", [20, 40, 100, 500])
@pytest.mark.parametrize("strategy", ["brute", "grid"])
def test_ksg_strategy(benchmark, n, strategy):
    """The measurement behind fastmi._config.KSG_BRUTE_FORCE_MAX_N."""
    x, y = pair(n)
    px, py = (prepare_continuous([("v", v)], "ksg", jitter=1e-10, seed=0) for v in (x, y))
    if strategy == "brute":
        args = (_ksg_mi_brute, px.values, py.values, 3, 1)
    else:
        n_cells = max(1, math.isqrt(n // 2))
        args = (
            _ksg_mi_grid,
            px.values,
            px.sorted0,
            px.order0,
            px.rank0,
            py.values,
            py.sorted0,
            py.order0,
            py.rank0,
            3,
            1,
            n_cells,
        )
    args[0](*args[1:])
    benchmark.group = f"ksg strategy n={n}"
    benchmark(*args)
