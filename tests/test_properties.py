"""Properties that must hold for every input (hypothesis)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import fastmi
from fastmi._encode import column_codes
from fastmi._logs import log_table
from fastmi.kernels._discrete import _discrete_mi_dense, _discrete_mi_sparse

from .reference import naive_mi

# Tiny samples on purpose: their tables are often saturated, which these tests ignore.
pytestmark = pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")


@st.composite
def code_pairs(draw, max_level=4):
    """Two equal-length int64 label arrays, with a random label alphabet."""
    n = draw(st.integers(1, 60))
    level = st.integers(0, max_level)
    x = np.array(draw(st.lists(level, min_size=n, max_size=n)), dtype=np.int64)
    y = np.array(draw(st.lists(level, min_size=n, max_size=n)), dtype=np.int64)
    return x, y


settings.register_profile("fastmi", max_examples=150, deadline=None)  # first call compiles
settings.load_profile("fastmi")


@given(code_pairs())
def test_mi_is_symmetric_and_bounded(xy):
    x, y = xy
    value = fastmi.mi(x, y)
    assert value == pytest.approx(fastmi.mi(y, x), abs=1e-12)
    assert -1e-12 <= value <= min(fastmi.entropy(x), fastmi.entropy(y)) + 1e-12
    assert_allclose(value, naive_mi(x, y), rtol=1e-10, atol=1e-13)


@given(code_pairs(), st.randoms(use_true_random=False))
def test_mi_is_invariant_to_sample_order(xy, random):
    x, y = xy
    order = np.array(random.sample(range(len(x)), len(x)))
    assert fastmi.mi(x[order], y[order]) == pytest.approx(fastmi.mi(x, y), abs=1e-12)


@given(code_pairs(), st.randoms(use_true_random=False))
def test_mi_is_invariant_to_relabelling(xy, random):
    x, y = xy
    new_labels = random.sample(["a", "bb", "-3", "zz", "q", "é"], 5)  # a bijection of 0..4
    x_relabelled = np.array(new_labels)[x]
    y_relabelled = y * -1_000_003 + 2**40
    assert fastmi.mi(x_relabelled, y_relabelled) == pytest.approx(fastmi.mi(x, y), abs=1e-12)


@given(code_pairs(max_level=6))
def test_mi_of_a_variable_with_itself_is_its_entropy(xy):
    x, _ = xy
    assert fastmi.mi(x, x) == pytest.approx(fastmi.entropy(x), abs=1e-12)
    assert 0 <= fastmi.entropy(x) <= math.log(len(np.unique(x))) + 1e-12


@given(code_pairs(max_level=30))
def test_dense_and_sparse_counting_agree(xy):
    x, y = xy
    cx, n_x = column_codes(x, "x")
    cy, n_y = column_codes(y, "y")
    dense = _discrete_mi_dense(cx, cy, n_x, n_y, log_table(len(x)))
    sparse = _discrete_mi_sparse(cx, cy, n_x, n_y, log_table(len(x)))
    assert dense[1:] == sparse[1:]
    assert dense[0] == pytest.approx(sparse[0], abs=1e-12)


@given(code_pairs(), st.integers(0, 3))
def test_cmi_is_non_negative_and_chain_rule_holds(xy, seed):
    x, y = xy
    z = np.random.default_rng(seed).integers(0, 3, len(x))
    value = fastmi.cmi(x, y, z)
    assert value >= -1e-12
    joint = (
        fastmi.entropy(np.column_stack([x, z]))
        + fastmi.entropy(np.column_stack([y, z]))
        - fastmi.entropy(np.column_stack([x, y, z]))
        - fastmi.entropy(z)
    )
    assert value == pytest.approx(joint, abs=1e-12)
