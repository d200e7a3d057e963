"""Mixed (Ross) MI against scikit-learn's mutual_info_classif; Gaussian-copula MI.

pytest bench/bench_mixed.py --benchmark-columns=min,median --benchmark-group-by=group
"""

import numpy as np
import pytest

import fastmi

SIZES = [10**4, 10**5]


def labelled(n, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, n)
    return labels, labels * 0.5 + rng.normal(size=n)


@pytest.mark.parametrize("n", SIZES)
def test_mixed_fastmi(benchmark, numba_threads, n):
    numba_threads(1)
    labels, c = labelled(n)
    fastmi.mi(labels[:50], c[:50])
    benchmark.group = f"mixed (Ross) pair, n={n:.0e}"
    benchmark(fastmi.mi, labels, c)


@pytest.mark.parametrize("n", SIZES)
def test_mixed_sklearn(benchmark, n):
    feature_selection = pytest.importorskip("sklearn.feature_selection")
    labels, c = labelled(n)
    benchmark.group = f"mixed (Ross) pair, n={n:.0e}"
    result = benchmark(feature_selection.mutual_info_classif, c[:, None], labels)
    # Same estimate; at 1e5 samples the two 1e-10 jitters can reorder near-ties.
    assert result[0] == pytest.approx(fastmi.mi(labels, c), abs=1e-4)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("method", ["gcmi", "ksg"])
def test_gcmi_pair(benchmark, numba_threads, n, method):
    numba_threads(1)
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    fastmi.mi(x[:50], y[:50], method=method)
    benchmark.group = f"gcmi vs ksg pair, n={n:.0e}"
    benchmark(fastmi.mi, x, y, method=method)
