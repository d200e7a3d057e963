"""KSG mutual information, Kozachenko-Leonenko entropy and Frenzel-Pompe CMI."""

import math
import warnings

import numba
import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.special import digamma
from sklearn.feature_selection import mutual_info_regression

import fastmi
from fastmi import _config, _continuous
from fastmi._continuous import grid_cells, prepare_points, prepare_together, rest_points
from fastmi.estimators.ksg import _ksg_mi_on_threads
from fastmi.kernels._digamma import _digamma, _digamma_int
from fastmi.kernels._ksg import (
    _fp_cmi,
    _kl_entropy,
    _ksg_mi_brute,
    _ksg_mi_pair,
    _ksg_mi_strips,
    _ksg_mi_tree,
    _ksg_mi_tree_pair,
)

from .conftest import JIT_DISABLED
from .reference import (
    gaussian_mi,
    naive_fp_cmi,
    naive_kl_entropy,
    naive_ksg_mi,
    scaled,
)


def correlated(rng, n, rho=0.6, dims=(1, 1)):
    """Gaussian x (n, dx) and y (n, dy); y's first column has correlation rho with x's
    first column. Tie-free."""
    dx, dy = dims
    cov = np.eye(dx + dy)
    cov[0, dx] = cov[dx, 0] = rho
    if dx > 1 and dy > 1:
        cov[1, dx + 1] = cov[dx + 1, 1] = rho / 2
    sample = rng.multivariate_normal(np.zeros(dx + dy), cov, size=n)
    x, y = sample[:, :dx], sample[:, dx:]
    return (x[:, 0] if dx == 1 else x), (y[:, 0] if dy == 1 else y), cov


def test_digamma_int_matches_scipy():
    m = np.concatenate([np.arange(1, 300), [1000, 12345, 10**6, 10**9, 2**40]])
    got = np.array([_digamma_int(int(v)) for v in m])
    assert_allclose(got, digamma(m.astype(float)), rtol=1e-15, atol=1e-15)


def test_digamma_matches_scipy():
    x = np.concatenate([np.linspace(0.05, 40, 397), [0.5, 1.5, 99.5, 1234.25, 1e6 + 0.5]])
    got = np.array([_digamma(float(v)) for v in x])
    assert_allclose(got, digamma(x), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("algorithm", [1, 2])
@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("dims", [(1, 1), (2, 1), (2, 3)])
@pytest.mark.parametrize("n", [25, 700])  # brute force, then the fast search
def test_ksg_matches_reference(rng, algorithm, k, dims, n):
    x, y, _ = correlated(rng, n, dims=dims)
    method = "ksg" if algorithm == 1 else "ksg2"
    expected = naive_ksg_mi(scaled(x), scaled(y), k, algorithm)
    assert_allclose(fastmi.mi(x, y, method=method, k=k, jitter=0), expected, rtol=1e-10)


@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("n", [25, 700])
def test_kl_entropy_matches_reference(rng, k, d, n):
    x = rng.normal(size=(n, d)) * [1.0, 3.0, 0.5][:d]
    x = x[:, 0] if d == 1 else x
    # The estimate is of the data as given: scale invariance is undone exactly.
    expected = naive_kl_entropy(x, k)
    assert_allclose(fastmi.entropy(x, method="ksg", k=k, jitter=0), expected, rtol=1e-10)


@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("dims", [(1, 1, 1), (2, 1, 2)])
@pytest.mark.parametrize("n", [25, 700])
def test_fp_cmi_matches_reference(rng, k, dims, n):
    z = rng.normal(size=(n, dims[2]))
    x = z[:, :1] + rng.normal(size=(n, dims[0]))
    y = z[:, :1] + 0.5 * x[:, :1] + rng.normal(size=(n, dims[1]))
    expected = naive_fp_cmi(scaled(x), scaled(y), scaled(z), k)
    assert_allclose(fastmi.cmi(x, y, z, method="ksg", k=k, jitter=0), expected, rtol=1e-10)


@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("n", [200, 3000])
def test_ksg_matches_sklearn(rng, k, n):
    x, y, _ = correlated(rng, n, rho=0.8)
    ours = fastmi.mi(x, y, k=k)
    theirs = mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k, random_state=0)[0]
    # Both jitter by 1e-10 relative, with different draws.
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_auto_picks_ksg_for_floats_and_integer_input_is_cast(rng):
    x, y, _ = correlated(rng, 500)
    assert fastmi.mi(x, y) == fastmi.mi(x, y, method="ksg")
    xi = np.round(x * 1000).astype(np.int64)
    assert fastmi.mi(xi, y, method="ksg") == fastmi.mi(xi.astype(float), y, method="ksg")


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_ksg_is_close_to_gaussian_mi(rho):
    n = 20_000
    x, y, cov = correlated(np.random.default_rng(7), n, rho=rho)
    exact = -0.5 * math.log(1 - rho**2)
    # KSG's spread at this n is about 0.005 nats; its bias for Gaussians is smaller.
    assert fastmi.mi(x, y) == pytest.approx(exact, abs=0.02)
    assert fastmi.mi(x, y, method="ksg2") == pytest.approx(exact, abs=0.02)


@pytest.mark.parametrize("rho", [0.0, 0.7])
def test_ksg_is_close_to_gaussian_mi_multivariate(rho):
    n = 4000
    x, y, cov = correlated(np.random.default_rng(3), n, rho=rho, dims=(2, 2))
    exact = gaussian_mi(cov, 2)
    assert fastmi.mi(x, y) == pytest.approx(exact, abs=0.05)


@pytest.mark.parametrize("d", [1, 2])
def test_kl_entropy_is_close_to_gaussian_entropy(d):
    n = 5000
    x = np.random.default_rng(11).normal(size=(n, d)) * 2.0
    exact = 0.5 * d * math.log(2 * math.pi * math.e * 4.0)
    assert fastmi.entropy(x, method="ksg") == pytest.approx(exact, abs=0.06)


def test_fp_cmi_of_conditionally_independent_chain_is_near_zero():
    rng = np.random.default_rng(5)
    n = 4000
    z = rng.normal(size=n)
    x = z + rng.normal(size=n)
    y = z + rng.normal(size=n)
    assert fastmi.mi(x, y) > 0.1  # dependent through z
    assert abs(fastmi.cmi(x, y, z)) < 0.03  # but not given z
    # Gaussian closed form: I(X;Y|Z) with y depending on x directly.
    y2 = z + x + rng.normal(size=n)
    exact = 0.5 * math.log(2)  # var(y2 | z) = 2, var(y2 | x, z) = 1
    assert fastmi.cmi(x, y2, z) == pytest.approx(exact, abs=0.05)


def test_independent_data_gives_near_zero_and_clip(rng):
    x, y = rng.normal(size=(2, 20_000))
    raw = fastmi.mi(x, y)
    assert abs(raw) < 0.025  # 5 standard deviations of the estimate at this n
    assert fastmi.mi(x, y, clip=True) == max(raw, 0.0)


def test_ksg_is_exactly_symmetric(rng):
    for n in [50, 2000]:
        x, y, _ = correlated(rng, n)
        for method in ["ksg", "ksg2"]:
            assert fastmi.mi(x, y, method=method) == fastmi.mi(y, x, method=method)


def test_ksg_is_invariant_to_sample_order(rng):
    x, y, _ = correlated(rng, 1500)
    order = rng.permutation(1500)
    for method in ["ksg", "ksg2"]:
        plain = fastmi.mi(x, y, method=method, jitter=0)
        assert fastmi.mi(x[order], y[order], method=method, jitter=0) == pytest.approx(
            plain, abs=1e-12
        )
        # With jitter, a permuted column draws other noise: a 1e-10 effect.
        assert fastmi.mi(x[order], y[order], method=method) == pytest.approx(plain, abs=1e-8)


def test_jitter_depends_only_on_the_column_and_random_state(rng):
    x, y, _ = correlated(rng, 300)
    a = prepare_points([("x", x)], "ksg", 3, jitter=1e-10, seed=0)
    b = prepare_points([("x", x.copy())], "ksg", 3, jitter=1e-10, seed=0)
    c = prepare_points([("x", x)], "ksg", 3, jitter=1e-10, seed=1)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert np.max(np.abs(a.values - x / x.std())) < 1e-8
    assert fastmi.mi(x, y, random_state=3) == fastmi.mi(x, y, random_state=3)


def test_ties_are_broken_by_jitter_with_a_warning():
    x = np.repeat(np.arange(50.0), 20)  # every value 20 times
    y = x + np.tile(np.arange(20.0), 50) / 100
    with pytest.warns(fastmi.TiesWarning, match=r"x has heavy ties: 100% of its samples"):
        value = fastmi.mi(x, y)
    assert math.isfinite(value)
    # Without jitter the estimate is still computed (ties give eps = 0 neighbours).
    with pytest.warns(fastmi.TiesWarning):
        assert math.isfinite(fastmi.mi(x, y, jitter=0))


def prepared(rng, n, dims=(1, 1)):
    x, y, _ = correlated(rng, n, dims=dims)
    return (
        prepare_points(
            [("x", c) for c in np.asarray(x).reshape(n, -1).T], "ksg", 3, jitter=1e-10, seed=0
        ),
        prepare_points(
            [("y", c) for c in np.asarray(y).reshape(n, -1).T], "ksg", 3, jitter=1e-10, seed=0
        ),
    )


@pytest.mark.parametrize("dims", [(1, 1), (2, 2)])
@pytest.mark.parametrize("n", [30, 1200])
@pytest.mark.parametrize("algorithm", [1, 2])
def test_every_strategy_gives_the_same_answer(rng, dims, n, algorithm):
    px, py = prepared(rng, n, dims)
    brute = _ksg_mi_brute(px, py, 3, algorithm)
    if dims == (1, 1):  # the strips search two 1-D variables
        for n_strips in [1, 2, 7, max(1, int(math.sqrt(n / 2))), int(math.sqrt(n))]:
            assert _ksg_mi_strips(px, py, 3, algorithm, n_strips) == brute
            assert _ksg_mi_on_threads(px, py, 3, algorithm, n_strips, False) == brute
    assert _ksg_mi_tree(px, py, 3, algorithm) == brute
    assert _ksg_mi_on_threads(px, py, 3, algorithm, 1, True) == brute


@pytest.mark.parametrize("n", [30, 1500])
def test_every_entropy_and_cmi_strategy_gives_the_same_answer(rng, n):
    px, py = prepared(rng, n, (2, 1))
    rest = rest_points(px)
    brute = _kl_entropy(px, rest, 3, 0)
    for n_cells in [1, 5, int(math.sqrt(n / 2))]:
        assert _kl_entropy(px, rest, 3, n_cells) == brute
    one_d = prepare_points([("x", px.values[0])], "ksg", 3, jitter=0.0, seed=0)
    assert _kl_entropy(one_d, one_d, 3, 5) == _kl_entropy(one_d, one_d, 3, 0)
    pz = prepare_points([("z", rng.normal(size=n))], "ksg", 3, jitter=1e-10, seed=0)
    expected = naive_fp_cmi(px.values.T, py.values.T, pz.values.T, 3)
    assert_allclose(_fp_cmi(px, py, pz, 3), expected, rtol=1e-10)


def test_api_strategies_agree(rng, monkeypatch):
    x, y, _ = correlated(rng, 2000)
    assert grid_cells(2000) > 0
    by_grid = fastmi.mi(x, y), fastmi.entropy(x), fastmi.cmi(x, y, x * y)
    monkeypatch.setattr(_config, "KSG_BRUTE_FORCE_MAX_N", 10**9)
    assert grid_cells(2000) == 0
    assert (fastmi.mi(x, y), fastmi.entropy(x), fastmi.cmi(x, y, x * y)) == by_grid
    monkeypatch.setattr(_config, "KSG_BRUTE_FORCE_MAX_N", 0)
    monkeypatch.setattr(_config, "KSG_PARALLEL_MIN_N", 0)
    assert fastmi.mi(x, y) == by_grid[0]


@pytest.mark.skipif(JIT_DISABLED, reason="threads need the JIT")
def test_thread_count_does_not_change_the_result(rng):
    px, py = prepared(rng, 5000)
    previous = numba.get_num_threads()
    try:
        results = set()
        for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1):
            numba.set_num_threads(threads)
            results.add(_ksg_mi_on_threads(px, py, 3, 1, 50, False))
            results.add(_ksg_mi_on_threads(px, py, 3, 1, 50, True))
    finally:
        numba.set_num_threads(previous)
    assert len(results) == 1


def _thread_counts():
    most = numba.config.NUMBA_NUM_THREADS
    return sorted({1, min(2, most), most})


def _same_points(a, b):
    for field in ("values", "sorted", "order", "rank"):
        got, expected = getattr(a, field), getattr(b, field)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()  # bitwise
    assert a.constant == b.constant


@pytest.mark.skipif(JIT_DISABLED, reason="threads need the JIT")
def test_prepared_together_on_threads_is_prepared_alone(rng):
    """Variables prepared at once on threads (``prepare_together``, as ``mi`` does
    for a large pair) are the Points ``prepare_points`` makes of each, bitwise, on any
    number of threads: a joint variable, a constant column, a tied one."""
    n = _continuous.PARALLEL_PREPARE_MIN_N + 123
    x = rng.normal(size=n)
    variables = [
        [("x", x)],
        [("a", rng.normal(size=n) * 1e3), ("b", np.full(n, 7.0))],
        [("c", np.round(x, 1))],
    ]
    previous = numba.get_num_threads()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)  # c's
        alone = [prepare_points(cols, "ksg", 3, jitter=1e-10, seed=4) for cols in variables]
        try:
            for threads in _thread_counts():
                numba.set_num_threads(threads)
                together = prepare_together(variables, "ksg", 3, jitter=1e-10, seed=4)
                for got, expected in zip(together, alone, strict=True):
                    _same_points(got, expected)
        finally:
            numba.set_num_threads(previous)


@pytest.mark.skipif(JIT_DISABLED, reason="threads need the JIT")
@pytest.mark.parametrize("dims", [(1, 1), (2, 1)])
@pytest.mark.parametrize("method, algorithm", [("ksg", 1), ("ksg2", 2)])
def test_large_pair_on_threads_is_the_serial_value(rng, monkeypatch, dims, method, algorithm):
    """``fastmi.mi`` of a pair large enough to run on threads (preparation and
    queries) equals the serial kernel on serially prepared variables, bitwise, on 1
    and 2 threads (and all of them)."""
    n = max(_continuous.PARALLEL_PREPARE_MIN_N, _config.KSG_TREE_PARALLEL_MIN_N) + 57
    monkeypatch.setattr(_config, "KSG_PARALLEL_MIN_N", n)  # the 1-D strips too
    x, y, _ = correlated(rng, n, rho=0.7, dims=dims)
    px, py = (
        prepare_points(
            [(label, c) for c in np.asarray(v).reshape(n, -1).T], method, 3, jitter=1e-10, seed=0
        )
        for label, v in (("x", x), ("y", y))
    )
    if dims == (1, 1):
        serial = _ksg_mi_pair(px, py, 3, algorithm, grid_cells(n))
    else:
        serial = _ksg_mi_tree_pair(px, py, 3, algorithm)
    previous = numba.get_num_threads()
    try:
        for threads in _thread_counts():
            numba.set_num_threads(threads)
            assert fastmi.mi(x, y, method=method) == serial
    finally:
        numba.set_num_threads(previous)


def test_large_pair_checks_x_then_y_in_the_calling_thread(rng):
    """Errors and TiesWarnings of a large pair come from the caller's thread, x's
    before y's, as for a small one."""
    n = _continuous.PARALLEL_PREPARE_MIN_N
    x, y = rng.normal(size=n), rng.normal(size=n)
    tied_x, tied_y = np.round(x), np.round(y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fastmi.mi(tied_x, tied_y)
    ties = [str(w.message)[:2] for w in caught if issubclass(w.category, fastmi.TiesWarning)]
    assert ties == ["x ", "y "]
    assert all(w.filename == __file__ for w in caught)
    bad_x, bad_y = x.copy(), y.copy()
    bad_x[5] = bad_y[5] = np.nan
    with pytest.raises(fastmi.InvalidParameterError, match="x contains NaN"):
        fastmi.mi(bad_x, bad_y)


@pytest.mark.parametrize("n, k", [(501, 33), (1000, 50), (800, 799), (3000, 200)])
def test_large_k_near_n(rng, n, k):
    """k beyond a strip's size: the search must run out of strips safely."""
    x, y, _ = correlated(rng, n)
    px, py = prepared(rng, n)
    brute = _ksg_mi_brute(px, py, k, 1)
    assert _ksg_mi_strips(px, py, k, 1, grid_cells(n)) == brute
    assert math.isfinite(fastmi.mi(x, y, k=k))
    assert math.isfinite(fastmi.entropy(x, method="ksg", k=k))
    assert math.isfinite(fastmi.cmi(x, y, x * y, k=k))


def test_heavy_tie_share_threshold(rng):
    """TiesWarning from 5 % of the samples in groups of more than k equal values."""
    for share, warns in [(0.04, False), (0.06, True)]:
        x = rng.normal(size=2000)
        x[: int(share * 2000)] = 1.25  # one group, far more than k = 3
        y = x + rng.normal(size=2000)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fastmi.mi(x, y)
        assert any(issubclass(w.category, fastmi.TiesWarning) for w in caught) == warns
