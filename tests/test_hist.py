"""method='hist': binning against numpy, then the discrete estimator."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import fastmi
from fastmi.estimators.hist import bin_codes, n_bins_for

from .reference import naive_cmi, naive_entropy, naive_mi


def uniform_codes_reference(x, n_bins):
    """Bin index from np.histogram's own edges: the bin whose [e_k, e_k+1) holds x."""
    edges = np.histogram_bin_edges(x, bins=n_bins)
    return np.clip(np.searchsorted(edges, x, side="right") - 1, 0, n_bins - 1)


@pytest.mark.parametrize("n_bins", [1, 2, 3, 7, 10, 64, 1000])
def test_uniform_codes_match_np_histogram(rng, n_bins):
    datasets = [
        rng.normal(size=2000),
        rng.integers(0, 20, 2000).astype(float) / 3,  # many values on or near edges
        np.linspace(-1, 1, 101),  # every edge hit exactly for n_bins dividing 100
        rng.exponential(size=500) * 1e-300,  # tiny range
        rng.normal(size=300) * 1e300,
    ]
    for x in datasets:
        codes = bin_codes(x, n_bins, "uniform", "x")
        counts, _ = np.histogram(x, bins=n_bins)
        assert_array_equal(np.bincount(codes, minlength=n_bins), counts)
        assert_array_equal(codes, uniform_codes_reference(x, n_bins))


def test_quantile_bins_have_equal_frequency(rng):
    x = rng.normal(size=1000)
    codes = bin_codes(x, 10, "quantile", "x")
    assert_array_equal(np.bincount(codes), np.full(10, 100))
    # Ties merge bins, and equal values always share a bin.
    tied = np.repeat([0.0, 1.0, 2.0], [800, 100, 100])
    codes = bin_codes(tied, 10, "quantile", "tied")
    for value in [0.0, 1.0, 2.0]:
        assert len(np.unique(codes[tied == value])) == 1
    assert len(np.unique(codes)) == 3


@pytest.mark.parametrize("rule", ["sqrt", "sturges", "fd"])
def test_rules_match_numpy(rng, rule):
    for x in [rng.normal(size=1000), rng.uniform(size=37), rng.exponential(size=5000)]:
        assert n_bins_for(x, rule) == len(np.histogram_bin_edges(x, bins=rule)) - 1


def test_auto_rule_gives_five_samples_per_joint_cell():
    for n in [4, 5, 20, 1000, 10**6]:
        assert n_bins_for(np.zeros(n), "auto") == max(1, math.floor(math.sqrt(n / 5)))


def test_rules_give_at_most_n_bins(rng):
    x = np.concatenate([rng.normal(size=50), [1e12]])  # fd would want ~1e12 bins
    assert n_bins_for(x, "fd") == 51
    assert fastmi.mi(x, x, method="hist", bins="fd") == pytest.approx(
        fastmi.entropy(x, method="hist", bins="fd")
    )


@pytest.mark.parametrize("binning", ["uniform", "quantile"])
@pytest.mark.parametrize("bins", [1, 4, 13, "auto", "sqrt", "sturges", "fd"])
def test_hist_mi_is_discrete_mi_of_the_bins(rng, binning, bins):
    n = 800
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    bx = bin_codes(x, n_bins_for(x, bins), binning, "x")
    by = bin_codes(y, n_bins_for(y, bins), binning, "y")
    value = fastmi.mi(x, y, method="hist", bins=bins, binning=binning)
    assert_allclose(value, naive_mi(bx, by), rtol=1e-12, atol=1e-15)
    assert_allclose(
        fastmi.entropy(x, method="hist", bins=bins, binning=binning),
        naive_entropy(bx),
        rtol=1e-12,
        atol=1e-15,
    )


def test_hist_with_2d_variables_bins_each_column(rng):
    x = rng.normal(size=(500, 2))
    y = x.sum(axis=1) + rng.normal(size=500)
    codes = np.column_stack([bin_codes(x[:, j], 6, "uniform", "x") for j in range(2)])
    assert_allclose(
        fastmi.mi(x, y, method="hist", bins=6),
        naive_mi(codes, bin_codes(y, 6, "uniform", "y")),
        rtol=1e-12,
    )


def test_hist_cmi_is_discrete_cmi_of_the_bins(rng):
    x, z = rng.normal(size=(2, 600))
    y = x + z + rng.normal(size=600)
    b = [bin_codes(v, 5, "quantile", "v") for v in (x, y, z)]
    assert_allclose(
        fastmi.cmi(x, y, z, method="hist", bins=5, binning="quantile"), naive_cmi(*b), rtol=1e-12
    )


def test_hist_keeps_integer_bool_and_string_labels_and_bins_floats():
    """Discrete dtypes are labels already (as under auto); floats are binned."""
    labels = np.arange(100) % 4
    assert fastmi.entropy(labels, method="hist", bins=2, base=2) == pytest.approx(2.0)
    assert fastmi.entropy(np.arange(100) % 2 == 0, method="hist") == pytest.approx(math.log(2))
    assert fastmi.entropy(np.array(list("abcd") * 25), method="hist") == pytest.approx(math.log(4))
    as_float = np.arange(100.0)  # cast to float to bin integer values
    assert fastmi.entropy(as_float, method="hist", bins=4, base=2) == pytest.approx(2.0)


def test_hist_of_a_constant_column_is_zero(rng):
    assert fastmi.mi(np.full(100, 3.5), rng.normal(size=100), method="hist") == 0.0
    assert fastmi.entropy(np.full(100, 3.5), method="hist", binning="quantile") == 0.0


def test_hist_mi_grows_with_dependence(rng):
    n = 20_000
    x = rng.normal(size=n)
    noise = rng.normal(size=n)
    values = [
        fastmi.mi(x, r * x + math.sqrt(1 - r * r) * noise, method="hist", binning="quantile")
        for r in [0.0, 0.5, 0.9, 0.99]
    ]
    assert values == sorted(values)
    # Gaussian MI -1/2 log(1 - r^2) = 0.830 nats at r = 0.9: binning only loses
    # information, up to the plug-in bias of about (B - 1)^2 / (2n) = 0.1 for B = 63.
    assert 0.6 < values[2] < 0.83 + 0.1
