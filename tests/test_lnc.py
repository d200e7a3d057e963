"""method="lnc": KSG with the local non-uniformity correction (Gao et al. 2015)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import fastmi
from fastmi import InvalidParameterError
from fastmi.estimators import lnc
from fastmi.kernels._lnc import _jacobi_eigenvectors

from .conftest import JIT_DISABLED
from .reference import gaussian_mi, naive_lnc_mi, scaled


@pytest.mark.parametrize("d", [2, 3, 6, 12])
def test_jacobi_eigenvectors_match_numpy(rng, d):
    points = rng.normal(size=(d + 4, d)) * rng.uniform(0.01, 10, size=d)
    matrix = points.T @ points
    vectors = np.empty((d, d))
    _jacobi_eigenvectors(matrix.copy(), vectors)
    assert_allclose(vectors.T @ vectors, np.eye(d), atol=1e-12)  # orthonormal
    diagonal = vectors.T @ matrix @ vectors  # ... and they diagonalise it
    off = diagonal - np.diag(np.diag(diagonal))
    assert np.abs(off).max() <= 1e-12 * np.abs(matrix).max()
    assert_allclose(np.sort(np.diag(diagonal)), np.linalg.eigvalsh(matrix), rtol=1e-10)


@pytest.mark.parametrize("n, k, dims", [(25, 3, (1, 1)), (400, 5, (1, 1)), (300, 8, (2, 2))])
def test_lnc_matches_the_reference(rng, n, k, dims):
    x = rng.normal(size=(n, dims[0]))
    y = x + 0.05 * rng.normal(size=(n, dims[1]))  # strongly dependent: corrections fire
    d = sum(dims)
    alpha = math.exp(lnc.log_alpha(d, k))
    expected = naive_lnc_mi(scaled(x), scaled(y), k, alpha)
    value = fastmi.mi(x, y, method="lnc", k=k, jitter=0)
    assert_allclose(value, expected, rtol=1e-9)
    assert value > fastmi.mi(x, y, method="ksg", k=k, jitter=0)  # the correction adds


def test_lnc_adds_little_to_ksg_on_independent_data(rng):
    """Locally uniform data: only the few neighbourhoods that look elongated by chance
    (alpha is a low quantile) are corrected. The correction is never negative."""
    x, y = rng.normal(size=(2, 2000))
    correction = fastmi.mi(x, y, method="lnc", k=5) - fastmi.mi(x, y, method="ksg", k=5)
    assert 0 <= correction < 0.03


@pytest.mark.skipif(JIT_DISABLED, reason="minutes without the JIT")
def test_lnc_recovers_strong_multivariate_dependence():
    """Five independent pairs with rho = 0.95 (truth 5.82 nats), N = 5,000: KSG is far
    below the truth, LNC close to it."""
    rng = np.random.default_rng(5)
    n, rho = 5000, 0.95
    x = rng.normal(size=(n, 5))
    y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=(n, 5))
    cov = np.block([[np.eye(5), rho * np.eye(5)], [rho * np.eye(5), np.eye(5)]])
    truth = gaussian_mi(cov, 5)
    assert truth == pytest.approx(5 * -0.5 * math.log(1 - rho**2))
    for k in (11, 15, 20):  # k must exceed the joint dimension, 10
        ksg = fastmi.mi(x, y, method="ksg", k=k)
        value = fastmi.mi(x, y, method="lnc", k=k)
        assert truth - ksg > 2.0
        assert abs(value - truth) < 0.6  # 5.44, 5.84, 5.28 against 5.82


def test_lnc_of_a_near_deterministic_relation(rng):
    """y = x + 1e-7 uniform noise: MI about 16 nats, far beyond what KSG can reach."""
    x = rng.uniform(size=500)
    y = x + 1e-7 * rng.uniform(size=500)
    truth = -math.log(1e-7)  # h(y | x) = log 1e-7, h(y) ~ h(x) = 0 (uniform on [0, 1])
    assert fastmi.mi(x, y, method="ksg", k=5) < 6
    assert abs(fastmi.mi(x, y, method="lnc", k=5) - truth) < 0.5


def test_lnc_of_an_exact_function_is_infinite_with_a_warning(rng):
    u = rng.uniform(size=300)
    with pytest.warns(fastmi.PerfectDependenceWarning, match=r"method='lnc': x and y"):
        assert fastmi.mi(u, u.copy(), method="lnc") == math.inf


def test_lnc_needs_more_neighbours_than_dimensions(rng):
    x, y = rng.normal(size=(2, 100, 3))
    message = r"method='lnc' needs more neighbours than joint dimensions .* got k=3 for d=6"
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.mi(x, y, method="lnc")
    with pytest.raises(InvalidParameterError, match=r"got k=2 for d=2\. Pass k >= 3"):
        fastmi.pairwise_mi(x[:, :2], method="lnc", k=2)


def test_alpha_is_published_where_it_exists_and_simulated_elsewhere():
    assert math.exp(lnc.log_alpha(2, 3)) == 0.182224
    assert math.exp(lnc.log_alpha(10, 20)) == pytest.approx(0.398082)
    simulated = math.exp(lnc.log_alpha(4, 9))  # between d = 3 (0.44) and d = 5 (0.18)
    assert 0.1 < simulated < 0.6
    assert lnc.log_alpha(4, 9) == lnc.log_alpha(4, 9)  # deterministic, cached
