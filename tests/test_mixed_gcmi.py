"""Mixed discrete-continuous MI (Ross 2014) and Gaussian-copula MI (Ince et al. 2017)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.feature_selection import mutual_info_classif

import fastmi
from fastmi._continuous import prepare_points
from fastmi.kernels._mixed import _ross_mi_brute, _ross_mi_sorted

from .reference import gaussian_mi, naive_gao_mi, naive_ross_mi, scaled


def labelled(rng, n, n_labels=4, spread=1.0):
    labels = rng.integers(0, n_labels, n)
    return labels, labels * spread + rng.normal(size=n)


@pytest.mark.parametrize("k", [1, 3, 10])
@pytest.mark.parametrize("n", [60, 1000])
def test_ross_matches_reference(rng, k, n):
    labels, c = labelled(rng, n)
    labels[0] = 99  # a label seen once is left out
    value = fastmi.mi(labels, c, k=k, jitter=0)
    assert_allclose(value, naive_ross_mi(labels, scaled(c), k), rtol=1e-10)
    assert fastmi.mi(c, labels, k=k, jitter=0) == value  # either order


def test_ross_multivariate_matches_reference(rng):
    labels = rng.integers(0, 3, 300)
    c = np.column_stack([labels + rng.normal(size=300), rng.normal(size=300) * 5])
    assert_allclose(fastmi.mi(labels, c, jitter=0), naive_ross_mi(labels, scaled(c), 3), rtol=1e-10)


@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("n", [200, 3000])
def test_ross_matches_sklearn_mutual_info_classif(rng, k, n):
    labels, c = labelled(rng, n, spread=0.8)
    theirs = mutual_info_classif(c[:, None], labels, n_neighbors=k, random_state=0)[0]
    assert fastmi.mi(labels, c, k=k, method="mixed") == pytest.approx(theirs, abs=1e-9)
    strings = np.array(["a", "b", "c", "d"])[labels]  # any label type
    assert fastmi.mi(strings, c, k=k) == pytest.approx(theirs, abs=1e-9)


def test_ross_sorted_and_brute_strategies_agree(rng):
    labels, c = labelled(rng, 800)
    pc = prepare_points([("c", c)], "mixed", 3, jitter=1e-10, seed=0)
    sorted_ = _ross_mi_sorted(pc.sorted, pc.order, labels, 4, 3)
    assert sorted_ == pytest.approx(_ross_mi_brute(pc.values, labels, 4, 3), rel=1e-13)


def uniform_window_pair(rng, n, m):
    """Gao et al. (2017): X uniform on {0..m-1}, Y | X uniform on [X, X + 2]."""
    x = rng.integers(0, m, n)
    return x, x + 2 * rng.random(n)


def uniform_window_mi(m):
    # h(Y) - h(Y|X): p(y) = 1/m on [1, m) and 1/(2m) on [0, 1) and [m, m+1); h(Y|X) = log 2.
    h_y = (m - 1) / m * math.log(m) + 1 / m * math.log(2 * m)
    return h_y - math.log(2)


@pytest.mark.parametrize("m", [2, 5])
def test_ross_on_gao_worked_example(m):
    n = 5000
    x, y = uniform_window_pair(np.random.default_rng(m), n, m)
    exact = uniform_window_mi(m)
    assert exact == pytest.approx(math.log(m) - (m - 1) / m * math.log(2))
    assert fastmi.mi(x, y) == pytest.approx(exact, abs=0.03)


def test_mixed_constant_gives_zero(rng):
    labels, c = labelled(rng, 200)
    assert fastmi.mi(labels, np.full(200, 2.5)) == 0.0
    assert fastmi.mi(np.zeros(200, int), c) == 0.0


def test_ross_with_no_repeated_label_is_an_error(rng):
    with pytest.raises(fastmi.InvalidParameterError, match=r"x has no label that occurs twice"):
        fastmi.mi(np.arange(50), rng.normal(size=50))


# --- Gaussian copula ---------------------------------------------------------------


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.9])
def test_gcmi_matches_gaussian_mi(rho):
    n = 20_000
    rng = np.random.default_rng(17)
    cov = [[1, rho], [rho, 1]]
    x, y = rng.multivariate_normal([0, 0], cov, size=n).T
    exact = -0.5 * math.log(1 - rho**2)
    # The estimate's spread at this n is about (1 - rho^2) / sqrt(n) in rho.
    assert fastmi.mi(x, y, method="gcmi") == pytest.approx(exact, abs=0.01)


def test_gcmi_multivariate_matches_gaussian_mi():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(5, 5))
    cov = a @ a.T + 5 * np.eye(5)
    sample = rng.multivariate_normal(np.zeros(5), cov, size=30_000)
    value = fastmi.mi(sample[:, :2], sample[:, 2:], method="gcmi")
    assert value == pytest.approx(gaussian_mi(cov, 2), abs=0.02)


def test_gcmi_is_exactly_invariant_to_increasing_transforms(rng):
    x = rng.normal(size=2000)
    y = x + rng.normal(size=2000)
    value = fastmi.mi(x, y, method="gcmi")
    assert fastmi.mi(np.exp(x), y**3 + 7, method="gcmi") == value
    assert fastmi.mi(np.round(x * 1e6), np.arctan(y), method="gcmi") == value
    # Ties share their average rank, so tied data stays invariant too.
    tied = np.round(x, 1)
    assert fastmi.mi(tied, y, method="gcmi") == fastmi.mi(np.exp(tied), y, method="gcmi")


def test_gcmi_is_a_lower_bound_for_a_non_gaussian_dependence(rng):
    x = rng.normal(size=20_000)
    y = x**2 + 0.1 * rng.normal(size=20_000)  # strong, but not monotone
    assert fastmi.mi(x, y, method="gcmi") < 0.1 < fastmi.mi(x, y, method="ksg")


def test_gcmi_bias_correction_is_unbiased_for_independent_gaussians():
    rng = np.random.default_rng(4)
    n, d = 40, 3
    plain, corrected = [], []
    for _ in range(300):
        x, y = rng.normal(size=(2, n, d))
        plain.append(fastmi.mi(x, y, method="gcmi"))
        corrected.append(fastmi.mi(x, y, method="gcmi", correction="gaussian"))
    # Uncorrected: about d^2 / (2 n) = 0.11 nats of upward bias. Corrected: centred on 0
    # (standard error of the mean ~0.005; the copula step leaves a small residual bias).
    assert np.mean(plain) > 0.08
    assert abs(np.mean(corrected)) < 0.03


def test_gcmi_cmi_of_a_gaussian_chain(rng):
    n = 20_000
    z = rng.normal(size=n)
    x = z + rng.normal(size=n)
    y = z + rng.normal(size=n)
    assert abs(fastmi.cmi(x, y, z, method="gcmi")) < 0.005
    y2 = z + x + rng.normal(size=n)
    assert fastmi.cmi(x, y2, z, method="gcmi") == pytest.approx(0.5 * math.log(2), abs=0.02)


def test_gcmi_constant_columns_carry_nothing(rng):
    x = rng.normal(size=500)
    assert fastmi.mi(np.full(500, 1.0), x, method="gcmi") == 0.0
    both = np.column_stack([x, np.zeros(500)])
    y = x + rng.normal(size=500)
    assert fastmi.mi(both, y, method="gcmi") == fastmi.mi(x, y, method="gcmi")


def test_gcmi_is_symmetric(rng):
    x, y = rng.normal(size=(2, 1000, 2))
    assert fastmi.mi(x, y, method="gcmi") == pytest.approx(
        fastmi.mi(y, x, method="gcmi"), abs=1e-12
    )


# --- Gao et al. (2017): mixtures with atoms ------------------------------------------


def zero_inflated(rng, n):
    """X = B U with B ~ Bernoulli(1/2), U ~ Uniform(0, 1): an atom at 0. I(X; B) = log 2,
    since X = 0 exactly when B = 0."""
    b = (rng.random(n) < 0.5).astype(float)
    return b * rng.random(n), b


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("n", [50, 800])
def test_gao_matches_reference(rng, k, n):
    x, b = zero_inflated(rng, n)
    y = x + 0.1 * rng.normal(size=n)
    assert_allclose(
        fastmi.mi(x, y, method="mixed", k=k), naive_gao_mi(scaled(x), scaled(y), k), rtol=1e-10
    )
    assert_allclose(
        fastmi.mi(x, b, method="mixed", k=k), naive_gao_mi(scaled(x), scaled(b), k), rtol=1e-10
    )


def test_gao_on_zero_inflated_data_with_known_mi():
    x, b = zero_inflated(np.random.default_rng(8), 20_000)
    assert fastmi.mi(x, b, method="mixed") == pytest.approx(math.log(2), abs=0.01)


@pytest.mark.parametrize("m", [2, 5])
def test_gao_on_its_worked_example(m):
    x, y = uniform_window_pair(np.random.default_rng(m + 10), 5000, m)
    assert fastmi.mi(x.astype(float), y, method="mixed") == pytest.approx(
        uniform_window_mi(m), abs=0.03
    )


def test_gao_on_discrete_valued_floats_is_the_digamma_plug_in(rng):
    from scipy.special import digamma

    x = rng.integers(0, 4, 3000).astype(float)
    y = x + rng.integers(0, 2, 3000)
    _, xy_code, xy_count = np.unique(
        np.column_stack([x, y]), axis=0, return_inverse=True, return_counts=True
    )
    n_x = np.unique(x, return_counts=True, return_inverse=True)
    n_y = np.unique(y, return_counts=True, return_inverse=True)
    expected = digamma(3000) + np.mean(
        digamma(xy_count[xy_code.ravel()]) - digamma(n_x[2][n_x[1]]) - digamma(n_y[2][n_y[1]])
    )
    assert fastmi.mi(x, y, method="mixed") == pytest.approx(expected, rel=1e-12)
    assert fastmi.mi(x, y, method="mixed") == pytest.approx(
        fastmi.mi(x, y, method="discrete"), abs=2e-3
    )


def test_gao_on_continuous_data_is_ksg_without_jitter(rng):
    x = rng.normal(size=2000)
    y = x + rng.normal(size=2000)
    assert fastmi.mi(x, y, method="mixed") == pytest.approx(
        fastmi.mi(x, y, method="ksg", jitter=0), rel=1e-12
    )


def test_heavy_ties_give_a_sane_value_and_a_warning(rng):
    x = np.round(rng.normal(size=4000))  # rounded measurements: 9 distinct values
    y = x + rng.normal(size=4000)
    with pytest.warns(fastmi.TiesWarning, match=r"x has heavy ties: \d+% .* use method='mixed'"):
        ksg = fastmi.mi(x, y)
    gao = fastmi.mi(x, y, method="mixed")
    discrete_x = fastmi.mi(x.astype(int), y)  # Ross, x as labels
    assert math.isfinite(ksg)
    # I(X;Y) <= H(X) for discrete X; Gao and Ross agree on a discrete X.
    h_x = fastmi.entropy(x.astype(int))
    assert 0 < gao < h_x
    assert gao == pytest.approx(discrete_x, abs=0.02)


@pytest.mark.parametrize("n", [1, 10, 999, 10**5])
def test_normal_quantiles_match_scipy(n):
    from scipy.stats import norm

    from fastmi.kernels._gaussian import _normal_scores_table

    size = 2 * (n + 1)
    table = _normal_scores_table(n)
    h = np.arange(1, 2 * n + 2)
    # The upper half from its exact tail probability: 1 - h / size would round.
    expected = np.where(h <= n + 1, norm.ppf(h / size), -norm.ppf((size - h) / size))
    assert_allclose(table[h], expected, rtol=1e-13, atol=1e-15)
