"""Discrete MI of one pair: fastmi against scikit-learn's mutual_info_score.

    pytest bench/bench_discrete.py --benchmark-columns=min,median --benchmark-group-by=group

Each group holds fastmi and scikit-learn on the same data; compare.py prints the ratios.
"""

import numpy as np
import pytest

import fastmi
from fastmi._logs import log_table
from fastmi.kernels._discrete import _discrete_mi_dense, _discrete_mi_sparse

SIZES = [10**4, 10**5, 10**6]


def labels(n, levels=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n)
    y = (x + rng.integers(0, 3, n)) % levels
    return x, y


@pytest.mark.parametrize("n", SIZES)
def test_discrete_mi_fastmi(benchmark, n):
    x, y = labels(n)
    fastmi.mi(x[:10], y[:10])  # compile outside the timer
    benchmark.group = f"discrete mi, int labels, n={n:.0e}"
    result = benchmark(fastmi.mi, x, y)
    assert result > 0


@pytest.mark.parametrize("n", SIZES)
def test_discrete_mi_sklearn(benchmark, n):
    metrics = pytest.importorskip("sklearn.metrics")
    x, y = labels(n)
    benchmark.group = f"discrete mi, int labels, n={n:.0e}"
    result = benchmark(metrics.mutual_info_score, x, y)
    assert result == pytest.approx(fastmi.mi(x, y), rel=1e-10)


@pytest.mark.parametrize("n", [10**5])
@pytest.mark.parametrize("library", ["fastmi", "sklearn"])
def test_discrete_mi_strings(benchmark, n, library):
    metrics = pytest.importorskip("sklearn.metrics")
    x, y = (v.astype(str) for v in labels(n))
    fastmi.mi(x[:10], y[:10])
    benchmark.group = f"discrete mi, str labels, n={n:.0e}"
    function = fastmi.mi if library == "fastmi" else metrics.mutual_info_score
    benchmark(function, x, y)


@pytest.mark.parametrize("n", [10**4, 10**6])
@pytest.mark.parametrize("levels", [16, 256, 2048])
@pytest.mark.parametrize("strategy", ["dense", "sparse"])
def test_count_strategy(benchmark, n, levels, strategy):
    """The measurement behind fastmi._config.DENSE_TABLE_*: dense wins while the table
    has fewer cells than about 2 n."""
    x, y = labels(n, levels)
    kernel = _discrete_mi_dense if strategy == "dense" else _discrete_mi_sparse
    kernel(x[:10], y[:10], levels, levels, log_table(10))
    benchmark.group = f"count strategy n={n:.0e} cells={levels * levels}"
    benchmark(kernel, x, y, levels, levels, log_table(n))
