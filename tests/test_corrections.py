"""Bias corrections of the table estimators: Grassberger, Chao-Shen, shrinkage."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import fastmi

from .reference import naive_corrected_entropy

CORRECTIONS = ["grassberger", "chao-shen", "shrinkage"]

# Small samples of many levels on purpose: saturated tables are expected here.
pytestmark = pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")


def counts_of(x):
    return np.unique(x, return_counts=True, axis=0)[1]


@pytest.mark.parametrize("correction", CORRECTIONS)
@pytest.mark.parametrize("n, levels", [(2, 2), (30, 20), (500, 7), (200, 400)])
def test_entropy_matches_the_textbook_formula(rng, correction, n, levels):
    x = rng.integers(0, levels, n)
    expected = naive_corrected_entropy(counts_of(x), correction)
    assert_allclose(fastmi.entropy(x, correction=correction), expected, rtol=1e-12)
    if x.min() < x.max():  # hist with a bin per level: the same counts
        bins = int(x.max() - x.min()) + 1
        assert_allclose(
            fastmi.entropy(x + 0.5, method="hist", bins=bins, correction=correction),
            expected,
            rtol=1e-12,
        )


@pytest.mark.parametrize("correction", CORRECTIONS + ["miller-madow"])
def test_a_constant_variable_has_no_entropy_and_shares_nothing(rng, correction):
    constant, y = np.full(50, 3), rng.integers(0, 5, 50)
    assert fastmi.entropy(constant, correction=correction) == 0.0
    assert fastmi.mi(constant, y, correction=correction) == pytest.approx(0.0, abs=1e-12)
    assert fastmi.entropy([7], correction=correction) == 0.0


@pytest.mark.parametrize("correction", CORRECTIONS)
def test_mi_of_a_variable_with_itself_is_its_entropy(rng, correction):
    x = rng.integers(0, 30, 80)
    assert fastmi.mi(x, x, correction=correction) == pytest.approx(
        fastmi.entropy(x, correction=correction), rel=1e-12
    )
    z = np.zeros(80, dtype=int)
    assert fastmi.cmi(x, x[::-1], z, correction=correction) == pytest.approx(
        fastmi.mi(x, x[::-1], correction=correction), rel=1e-12, abs=1e-12
    )


def test_grassberger_of_singletons_is_a_worked_value():
    """G(1) = psi(1) - (psi(1) - psi(1/2)) / 2 = -gamma - log 2, so n samples of n
    different labels give log n + gamma + log 2 (Grassberger 2003, eq. 35)."""
    for n in (7, 1000):  # (one sample, one level: entropy 0, as for a constant)
        expected = math.log(n) + 0.5772156649015329 + math.log(2)
        assert fastmi.entropy(np.arange(n), correction="grassberger") == pytest.approx(
            expected, rel=1e-13
        )


@pytest.mark.parametrize("correction", CORRECTIONS)
def test_mi_is_the_corrected_entropies(rng, correction):
    x = rng.integers(0, 6, 400)
    y = (x + rng.integers(0, 3, 400)) % 6
    pairs = np.column_stack([x, y])
    expected = (
        naive_corrected_entropy(counts_of(x), correction)
        + naive_corrected_entropy(counts_of(y), correction)
        - naive_corrected_entropy(counts_of(pairs), correction)
    )
    assert_allclose(fastmi.mi(x, y, correction=correction), expected, rtol=1e-12)
    z = rng.integers(0, 3, 400)
    h = lambda *v: naive_corrected_entropy(counts_of(np.column_stack(v)), correction)  # noqa: E731
    expected_cmi = h(x, z) + h(y, z) - h(x, y, z) - h(z)
    assert_allclose(fastmi.cmi(x, y, z, correction=correction), expected_cmi, rtol=1e-10)


@pytest.mark.parametrize("correction", CORRECTIONS)
def test_corrections_reduce_the_bias_of_small_samples(correction):
    """50 equally likely levels, 100 samples: the plug-in entropy is 0.27 nats short
    (shrinkage, which sees only the observed levels, halves that; the others do better);
    two independent 10-level variables, 200 samples: plug-in MI is about 0.22 nats,
    truth 0. Averages over 30 fixed draws."""
    rng = np.random.default_rng(2009)
    entropies = {None: [], correction: []}
    mis = {None: [], correction: []}
    for _ in range(30):
        x = rng.integers(0, 50, 100)
        a, b = rng.integers(0, 10, (2, 200))
        for key in entropies:
            entropies[key].append(fastmi.entropy(x, correction=key))
            mis[key].append(fastmi.mi(a, b, correction=key))
    bias = {key: abs(np.mean(values) - math.log(50)) for key, values in entropies.items()}
    assert bias[correction] < 0.6 * bias[None]
    mi_bias = {key: abs(np.mean(values)) for key, values in mis.items()}
    assert mi_bias[correction] < 0.6 * mi_bias[None]


@pytest.mark.parametrize("correction", CORRECTIONS + ["miller-madow"])
def test_matrix_uses_the_same_correction(rng, correction):
    X = rng.integers(0, 5, size=(300, 4))
    matrix = fastmi.pairwise_mi(X, correction=correction)
    for i, j in [(0, 1), (1, 0), (2, 3)]:
        assert matrix[i, j] == fastmi.mi(X[:, i], X[:, j], correction=correction)
    assert matrix[2, 2] == fastmi.entropy(X[:, 2], correction=correction)


def test_corrections_refuse_continuous_estimators(rng):
    x, y = rng.normal(size=(2, 100))
    with pytest.raises(fastmi.InvalidParameterError, match=r"correction='grassberger' applies"):
        fastmi.mi(x, y, correction="grassberger")
