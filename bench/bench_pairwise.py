"""All-pairs MI: fastmi against the scikit-learn loop, ennemi and the bare counting loop.

    pytest bench/bench_pairwise.py --benchmark-columns=min,median --benchmark-group-by=group

Sizes are kept small enough for CI's smoke run; bench/compare.py runs the issue's
full workloads (P = 200 KSG at N = 5,000; P = 1,000 discrete at N = 10,000).
"""

import numpy as np
import pytest
from yardstick import all_pairs, bare_counting_loop

import fastmi

KSG_N, KSG_P = 2000, 24
DISCRETE_N, DISCRETE_P = 10_000, 120


def continuous_table(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X[:, 1::2] += X[:, ::2]
    return X


def test_pairwise_ksg_fastmi(benchmark, numba_threads):
    numba_threads(2)
    X = continuous_table(KSG_N, KSG_P)
    fastmi.pairwise_mi(X[:700, :2])
    benchmark.group = f"pairwise ksg N={KSG_N} P={KSG_P}"
    benchmark.pedantic(fastmi.pairwise_mi, args=(X,), rounds=3, iterations=1)


def test_pairwise_ksg_sklearn_loop(benchmark):
    feature_selection = pytest.importorskip("sklearn.feature_selection")
    X = continuous_table(KSG_N, KSG_P)

    def loop():
        return np.array(
            [
                feature_selection.mutual_info_regression(X, X[:, j], n_jobs=2)
                for j in range(X.shape[1])
            ]
        )

    benchmark.group = f"pairwise ksg N={KSG_N} P={KSG_P}"
    benchmark.pedantic(loop, rounds=1, iterations=1)


def test_pairwise_ksg_ennemi(benchmark):
    ennemi = pytest.importorskip("ennemi")
    X = continuous_table(KSG_N, KSG_P)
    benchmark.group = f"pairwise ksg N={KSG_N} P={KSG_P}"
    benchmark.pedantic(ennemi.pairwise_mi, args=(X,), rounds=1, iterations=1)


@pytest.mark.parametrize("levels", [2, 8, 16])
@pytest.mark.parametrize("engine", ["fastmi", "bare"])
def test_pairwise_discrete(benchmark, numba_threads, levels, engine):
    numba_threads(2)
    rng = np.random.default_rng(0)
    X = rng.integers(0, levels, size=(DISCRETE_N, DISCRETE_P))
    benchmark.group = f"pairwise discrete N={DISCRETE_N} P={DISCRETE_P} levels={levels}"
    if engine == "fastmi":
        fastmi.pairwise_mi(X[:50, :3])
        benchmark(fastmi.pairwise_mi, X)
    else:
        codes = np.ascontiguousarray(X.T, dtype=np.int64)
        pairs = all_pairs(DISCRETE_P)
        out = np.empty(len(pairs))
        bare_counting_loop(codes, levels, pairs[:2], out[:2])
        benchmark(bare_counting_loop, codes, levels, pairs, out)


@pytest.mark.parametrize("engine", ["fastmi", "sklearn"])
def test_mi_with_target(benchmark, numba_threads, engine):
    numba_threads(2)
    X = continuous_table(5000, 20)
    y = X[:, 0] + X[:, 3] ** 2
    benchmark.group = "mi_with_target N=5000 P=20"
    if engine == "fastmi":
        fastmi.mi_with_target(X[:700, :2], y[:700])
        benchmark(fastmi.mi_with_target, X, y)
    else:
        feature_selection = pytest.importorskip("sklearn.feature_selection")
        benchmark.pedantic(
            feature_selection.mutual_info_regression,
            args=(X, y),
            kwargs={"n_jobs": 2},
            rounds=2,
            iterations=1,
        )
