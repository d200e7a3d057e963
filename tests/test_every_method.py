"""Properties every estimator must have: symmetry, sample order, threads, constants."""

import math

import numba
import numpy as np
import pytest

import fastmi

from .conftest import JIT_DISABLED

N = 700  # above the brute-force size, so the fast strategies run


def pair_for(method, rng):
    """A dependent pair of the kinds the method is for."""
    if method in ("discrete",):
        x = rng.integers(0, 5, N)
        return x, (x + rng.integers(0, 3, N)) % 5
    if method == "mixed":
        labels = rng.integers(0, 4, N)
        return labels, labels + rng.normal(size=N)
    x = rng.normal(size=N)
    return x, x + rng.normal(size=N)


METHODS = ["discrete", "hist", "ksg", "ksg2", "mixed", "gcmi"]


@pytest.mark.parametrize("method", METHODS)
def test_symmetric(rng, method):
    x, y = pair_for(method, rng)
    assert fastmi.mi(x, y, method=method) == pytest.approx(
        fastmi.mi(y, x, method=method), rel=1e-12, abs=1e-14
    )


@pytest.mark.parametrize("method", METHODS)
def test_invariant_to_sample_order(rng, method):
    x, y = pair_for(method, rng)
    order = rng.permutation(N)
    options = (
        {"method": method}
        if method in ("discrete", "hist", "gcmi")
        else {"method": method, "jitter": 0}
    )
    assert fastmi.mi(x[order], y[order], **options) == pytest.approx(
        fastmi.mi(x, y, **options), rel=1e-12, abs=1e-14
    )


@pytest.mark.skipif(JIT_DISABLED, reason="threads need the JIT")
@pytest.mark.parametrize("method", METHODS)
def test_identical_for_any_thread_count(rng, method):
    x, y = pair_for(method, rng)
    X = np.column_stack([x, y, rng.permutation(y)]).astype(
        float if method not in ("discrete", "mixed") else int
    )
    previous = numba.get_num_threads()
    try:
        results = []
        for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1):
            numba.set_num_threads(threads)
            results.append(
                (
                    fastmi.mi(x, y, method=method),
                    fastmi.pairwise_mi(
                        X, method=method if method != "mixed" else "auto", n_jobs=threads
                    ).tobytes(),
                )
            )
    finally:
        numba.set_num_threads(previous)
    assert all(r == results[0] for r in results)


@pytest.mark.parametrize("method", METHODS)
def test_constant_column_gives_zero(rng, method):
    x, y = pair_for(method, rng)
    constant = np.full(N, 7 if method in ("discrete", "mixed") else 7.5)
    assert fastmi.mi(constant, y, method=method) == 0.0
    if method != "mixed":  # mixed needs one discrete and one continuous variable here
        assert fastmi.mi(x, constant.astype(x.dtype), method=method) == 0.0


@pytest.mark.parametrize("method", ["ksg", "ksg2", "mixed", "gcmi", "hist"])
def test_heavy_ties_give_a_finite_sane_value(rng, method):
    x = np.round(rng.normal(size=2000))  # 9 distinct values
    y = x + rng.normal(size=2000)
    with pytest.warns(fastmi.TiesWarning) if method in ("ksg", "ksg2") else _no_warning():
        value = fastmi.mi(x, y, method=method)
    assert math.isfinite(value)
    assert -0.05 < value < fastmi.entropy(x.astype(int)) + 0.05  # I(X;Y) <= H(X)


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
