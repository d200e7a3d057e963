"""Discrete (plug-in) estimators against scikit-learn, SciPy and the slow reference."""

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from numpy.testing import assert_allclose
from sklearn.metrics import mutual_info_score

import fastmi
from fastmi import _config
from fastmi._encode import column_codes
from fastmi._logs import log_table
from fastmi.datasets import load_weather
from fastmi.estimators.discrete import dense_table_cells
from fastmi.kernels._discrete import _discrete_mi_dense, _discrete_mi_sparse

from .reference import (
    labels,
    n_levels,
    naive_cmi,
    naive_entropy,
    naive_mi,
    naive_miller_madow_entropy,
)

# Tiny samples on purpose: their tables are often saturated, which these tests ignore.
pytestmark = pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")


def random_labels(rng, n, kind, levels=5):
    """Labels of one of many flavours, all with `levels` distinct values at most."""
    codes = rng.integers(0, levels, size=n)
    if kind == "int":
        return codes
    if kind == "negative":
        return codes * 7 - 20
    if kind == "huge":
        return (codes * 1_000_003 + 2**62).astype(np.int64)
    if kind == "sparse":
        return np.array([-(2**63), -5, 0, 2**40, 2**63 - 1])[codes % 5]
    if kind == "uint64":
        return codes.astype(np.uint64) + np.uint64(2**63 + 11)
    if kind == "int8":
        return codes.astype(np.int8) - 3
    if kind == "bool":
        return codes % 2 == 0
    if kind == "str":
        return np.array(["alpha", "beta", "", "gamma delta", "ü"])[codes % 5]
    if kind == "object_str":
        return np.array(["x", "y", "zz", "w", "v"], dtype=object)[codes % 5]
    if kind == "bytes":
        return np.array([b"a", b"b", b"c", b"d", b"e"])[codes % 5]
    if kind == "categorical":
        return pd.Categorical(np.array(list("pqrst"))[codes % 5], categories=list("tsrqpz"))
    if kind == "datetime":
        return np.datetime64("2020-01-01") + codes.astype("timedelta64[D]")
    raise AssertionError(kind)


KINDS = [
    "int",
    "negative",
    "huge",
    "sparse",
    "uint64",
    "int8",
    "bool",
    "str",
    "object_str",
    "bytes",
    "categorical",
    "datetime",
]


def as_sklearn_labels(x):
    """1-D labels that scikit-learn accepts: rows of a 2-D input joined to strings."""
    return [repr(v) for v in labels(np.asarray(x))]


@pytest.mark.parametrize("kind_x", KINDS)
@pytest.mark.parametrize("kind_y", ["int", "str", "huge"])
def test_mi_matches_sklearn_and_reference(rng, kind_x, kind_y):
    for n in [1, 2, 17, 300]:
        x = random_labels(rng, n, kind_x)
        y = random_labels(rng, n, kind_y, levels=4)
        expected = naive_mi(np.asarray(x), y)
        method = "discrete" if kind_x == "datetime" else "auto"  # times are continuous
        assert_allclose(fastmi.mi(x, y, method=method), expected, rtol=1e-10, atol=1e-14)
        sk = mutual_info_score(as_sklearn_labels(x), as_sklearn_labels(y))
        assert_allclose(fastmi.mi(x, y, method="discrete"), sk, rtol=1e-10, atol=1e-14)


def test_mi_of_2d_joint_variables(rng):
    for n in [5, 100, 1000]:
        x = rng.integers(0, 3, size=(n, 2))
        y = np.column_stack([rng.integers(-2, 2, n), x[:, 0] ^ rng.integers(0, 2, n), x[:, 1]])
        expected = mutual_info_score(as_sklearn_labels(x), as_sklearn_labels(y))
        assert_allclose(fastmi.mi(x, y), expected, rtol=1e-10, atol=1e-14)
        assert_allclose(fastmi.mi(x, y), naive_mi(x, y), rtol=1e-10, atol=1e-14)


def test_mi_of_dataframes_with_mixed_discrete_columns(rng):
    n = 200
    frame = pd.DataFrame(
        {
            "city": pd.Categorical(rng.choice(["oslo", "rome", "lima"], n)),
            "count": rng.integers(0, 3, n),
            "flag": rng.random(n) < 0.3,
        }
    )
    target = pd.Series(rng.choice(["yes", "no"], n))
    rows = list(zip(frame["city"], frame["count"], frame["flag"]))
    assert_allclose(
        fastmi.mi(frame, target), naive_mi(np.array(rows, dtype=object), target), rtol=1e-12
    )


@pytest.mark.parametrize("kind", KINDS)
def test_entropy_matches_scipy_and_reference(rng, kind):
    for n in [1, 3, 250]:
        x = random_labels(rng, n, kind)
        counts = np.unique(np.asarray(x), return_counts=True)[1]
        method = "discrete" if kind == "datetime" else "auto"  # times are continuous
        assert_allclose(
            fastmi.entropy(x, method=method), scipy.stats.entropy(counts), rtol=1e-12, atol=1e-15
        )
        assert_allclose(
            fastmi.entropy(x, method=method, base=2),
            naive_entropy(x) / math.log(2),
            rtol=1e-12,
            atol=1e-15,
        )


def test_entropy_of_2d_is_joint_entropy(rng):
    x = rng.integers(0, 4, size=(500, 3))
    assert_allclose(fastmi.entropy(x), naive_entropy(x), rtol=1e-12)


def test_cmi_equals_chain_rule_and_reference(rng):
    for n in [1, 10, 400, 3000]:
        z = rng.integers(0, 3, n)
        x = (z + rng.integers(0, 2, n)) % 4
        y = rng.choice(["a", "b", "c"], n)
        y[x == 0] = "a"
        xz, yz, xyz = np.column_stack([x, z]), np.column_stack([y, z]), np.column_stack([x, y, z])
        chain = (
            fastmi.entropy(xz)
            + fastmi.entropy(yz.astype(object))
            - fastmi.entropy(xyz.astype(object))
            - fastmi.entropy(z)
        )
        value = fastmi.cmi(x, y, z)
        assert_allclose(value, chain, atol=1e-12)
        assert_allclose(value, naive_cmi(x, y, z), rtol=1e-10, atol=1e-14)


def test_cmi_with_constant_condition_is_mi(rng):
    x, y = rng.integers(0, 5, (2, 500))
    assert_allclose(fastmi.cmi(x, y, np.zeros(500, int)), fastmi.mi(x, y), rtol=1e-13)


def test_cmi_of_xor_is_one_bit_while_mi_is_zero():
    z = np.repeat([0, 1], 50)
    x = np.tile([0, 1], 50)
    y = x ^ z
    assert fastmi.mi(x, y) == 0.0
    assert fastmi.cmi(x, y, z, base=2) == pytest.approx(1.0, abs=1e-15)


def test_miller_madow_corrections(rng):
    n = 300
    x, y, z = rng.integers(0, 6, n), rng.integers(0, 3, n), rng.integers(0, 2, n)
    assert_allclose(
        fastmi.entropy(x, correction="miller-madow"), naive_miller_madow_entropy(x), rtol=1e-12
    )
    xy = np.column_stack([x, y])
    mm_mi = (
        naive_miller_madow_entropy(x)
        + naive_miller_madow_entropy(y)
        - naive_miller_madow_entropy(xy)
    )
    assert_allclose(fastmi.mi(x, y, correction="miller-madow"), mm_mi, atol=1e-12)
    assert fastmi.mi(x, y, correction="miller-madow") < fastmi.mi(x, y)
    hh = naive_miller_madow_entropy
    mm_cmi = (
        hh(np.column_stack([x, z]))
        + hh(np.column_stack([y, z]))
        - hh(np.column_stack([x, y, z]))
        - hh(z)
    )
    assert_allclose(fastmi.cmi(x, y, z, correction="miller-madow"), mm_cmi, atol=1e-12)


def test_miller_madow_counts_only_levels_that_occur():
    # An unused category must not change the correction.
    x = pd.Categorical(["a", "b", "a", "b"], categories=["a", "b", "never"])
    assert fastmi.entropy(x, correction="miller-madow") == pytest.approx(math.log(2) + (2 - 1) / 8)
    assert n_levels(["a", "b", "a", "b"]) == 2


def test_mi_of_a_variable_with_itself_is_its_entropy(rng):
    for kind in ["int", "str", "categorical", "huge"]:
        x = random_labels(rng, 400, kind, levels=7)
        assert_allclose(fastmi.mi(x, x), fastmi.entropy(x), rtol=1e-13)


def test_constant_columns_give_zero():
    assert fastmi.mi(np.zeros(10, int), np.arange(10)) == 0.0
    assert fastmi.entropy(["same"] * 5) == 0.0
    assert fastmi.cmi([1] * 6, [0, 1, 0, 1, 0, 1], [0, 0, 0, 1, 1, 1]) == 0.0


def test_published_information_gains_of_the_weather_table():
    # Quinlan (1986) / Mitchell (1997): Gain(S, A) = I(A; play) in bits, to 3 decimals.
    weather = load_weather()
    gains = {
        a: fastmi.mi(weather[a], weather["play"], base=2)
        for a in ["outlook", "humidity", "windy", "temperature"]
    }
    assert {a: round(g, 3) for a, g in gains.items()} == {
        "outlook": 0.247,
        "humidity": 0.152,
        "windy": 0.048,
        "temperature": 0.029,
    }
    assert fastmi.entropy(weather["play"], base=2) == pytest.approx(0.9403, abs=5e-5)


@pytest.mark.parametrize("n_x, n_y", [(1, 1), (2, 3), (8, 8), (50, 3), (300, 400), (5, 5000)])
def test_dense_and_sparse_counts_agree(rng, n_x, n_y):
    for n in [1, 10, 5000]:
        x = rng.integers(0, n_x, n)
        y = rng.integers(0, n_y, n)
        dense = _discrete_mi_dense(x, y, n_x, n_y, log_table(len(x)))
        sparse = _discrete_mi_sparse(x, y, n_x, n_y, log_table(len(x)))
        expected_cells = (len(set(x)), len(set(y)), len(set(zip(x.tolist(), y.tolist()))))
        assert dense[1:] == sparse[1:] == expected_cells
        assert_allclose(dense[0], sparse[0], rtol=1e-12, atol=1e-15)
        assert_allclose(dense[0], naive_mi(x, y), rtol=1e-10, atol=1e-14)


def test_every_strategy_gives_the_same_answer_through_the_api(rng, monkeypatch):
    n = 3000
    x = rng.integers(-(10**12), 10**12, n) // 10**11  # ~20 levels
    y = x + rng.integers(0, 30, n)
    y_wide = y * 1_000_000_007  # the same labels spread over a wide range
    assert 21 * 50 <= dense_table_cells(n)  # dense counting
    default, default_coarse = fastmi.mi(x, y), fastmi.mi(x, y // 3)
    results = [fastmi.mi(x, y_wide)]  # hashed codes for y
    monkeypatch.setattr(_config, "DENSE_TABLE_MAX_CELLS", 0)
    assert 21 * 50 > dense_table_cells(n)  # sparse counting
    results += [fastmi.mi(x, y), fastmi.mi(x, y_wide)]
    monkeypatch.setattr(_config, "DENSE_TABLE_MAX_CELLS", 10**12)
    monkeypatch.setattr(_config, "DENSE_TABLE_MIN_CELLS", 10**12)
    monkeypatch.setattr(_config, "SMALL_RANGE_FACTOR", 10**4)  # offset codes, wide ranges
    assert 21 * 50_000 <= dense_table_cells(n)
    results += [fastmi.mi(x, y * 1000)]  # a dense table with many empty columns
    assert_allclose(results, default, rtol=1e-12)
    assert_allclose(fastmi.mi(x, y // 3), default_coarse, rtol=1e-12)


def test_offset_and_hashed_coding_agree(rng, monkeypatch):
    x = rng.integers(-50, 50, 1000) * 3  # gaps between the labels: empty offset levels
    y = x // 7 + rng.integers(0, 5, 1000)
    offset_codes, offset_levels = column_codes(x, "x")
    assert offset_levels == 3 * 99 + 1
    np.testing.assert_array_equal(offset_codes, x - x.min())
    unshifted_codes, unshifted_levels = column_codes(x - x.min() + 5, "x")
    assert unshifted_levels == offset_levels + 5
    np.testing.assert_array_equal(unshifted_codes, x - x.min() + 5)
    offset = (
        fastmi.entropy(x, correction="miller-madow"),
        fastmi.mi(x, y, correction="miller-madow"),
        fastmi.cmi(x, y, x % 2, correction="miller-madow"),
    )
    monkeypatch.setattr(_config, "SMALL_RANGE_MIN", 0)
    monkeypatch.setattr(_config, "SMALL_RANGE_FACTOR", 0)
    hashed, hashed_levels = column_codes(x, "x")
    assert hashed_levels == len(np.unique(x))
    # Codes are numbered by first appearance: a bijection of the labels.
    first_seen = list(dict.fromkeys(x.tolist()))
    np.testing.assert_array_equal(hashed, [first_seen.index(v) for v in x.tolist()])
    compact = (
        fastmi.entropy(x, correction="miller-madow"),
        fastmi.mi(x, y, correction="miller-madow"),
        fastmi.cmi(x, y, x % 2, correction="miller-madow"),
    )
    assert_allclose(offset, compact, rtol=1e-12)


@pytest.mark.parametrize("kind", ["str", "bytes", "huge", "uint64", "float"])
def test_hashed_codes_are_a_bijection_of_the_labels(rng, kind):
    """Every distinct label gets its own code even when hashes share a table slot."""
    labels_ = (
        rng.normal(size=2000).round(1)
        if kind == "float"
        else random_labels(rng, 2000, kind, levels=5)
    )
    if kind == "float":
        labels_[:2] = [0.0, -0.0]  # equal values, different bytes: one level
    codes, n_codes = column_codes(labels_, "x")
    pairs = set(zip(np.asarray(labels_).tolist(), codes.tolist()))
    assert n_codes == len(pairs) == len(set(np.asarray(labels_).tolist()))


def test_strings_of_different_widths_and_trailing_spaces():
    x = np.array(["a", "a ", " a", "ab", "abcdefghijklmnop", "abcdefghijklmnoq", "a", ""])
    codes, n_levels = column_codes(x, "x")
    assert n_levels == 7
    assert codes[0] == codes[6]


def test_base_two_gives_bits(rng):
    x, y = rng.integers(0, 4, (2, 100))
    assert fastmi.mi(x, y, base=2) == pytest.approx(fastmi.mi(x, y) / math.log(2), rel=1e-15)


def test_float_labels_with_method_discrete(rng):
    x = rng.integers(0, 4, 100).astype(float) / 4
    y = rng.integers(0, 3, 100)
    assert_allclose(fastmi.mi(x, y, method="discrete"), naive_mi(x, y), rtol=1e-12)
