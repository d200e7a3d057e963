"""fastmi.info: exact quantities of tables, against worked examples and identities."""

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from numpy.testing import assert_allclose

from fastmi import InvalidParameterError, info

from .reference import naive_entropy_of_table


def h2(p):
    """Binary entropy in bits."""
    return 0.0 if p in (0.0, 1.0) else -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def bsc_joint(flip):
    """A fair bit sent through a binary symmetric channel: joint of (input, output)."""
    return [[(1 - flip) / 2, flip / 2], [flip / 2, (1 - flip) / 2]]


@pytest.mark.parametrize("flip", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_binary_symmetric_channel_capacity(flip):
    # I(X;Y) = 1 - H2(f) bits for a uniform input.
    assert info.mutual_info(bsc_joint(flip), base=2) == pytest.approx(1 - h2(flip), abs=1e-14)


def test_worked_examples():
    assert round(info.mutual_info(bsc_joint(0.1), base=2), 4) == 0.5310
    assert info.mutual_info(bsc_joint(0.0), base=2) == pytest.approx(1.0, abs=1e-15)
    assert info.mutual_info(bsc_joint(0.5), base=2) == 0.0
    assert info.mutual_info([[0.35, 0.15], [0.40, 0.10]]) == pytest.approx(0.0067018, abs=5e-8)
    assert info.mutual_info([[0.25, 0.25], [0.25, 0.25]]) == 0.0
    assert info.conditional_entropy(bsc_joint(0.1), base=2) == pytest.approx(h2(0.1), abs=1e-14)


def random_table(rng, shape, zeros=True):
    p = rng.random(shape)
    if zeros:
        p[rng.random(shape) < 0.2] = 0.0
        p.flat[0] = 0.5  # never all zero
    return p / p.sum()


@pytest.mark.parametrize("shape", [(2, 2), (3, 5), (7, 1), (1, 4), (6, 6)])
def test_identities_on_random_tables(rng, shape):
    for _ in range(20):
        pxy = random_table(rng, shape)
        px, py = pxy.sum(axis=1), pxy.sum(axis=0)
        mi = info.mutual_info(pxy)
        h_x, h_y, h_xy = info.entropy(px), info.entropy(py), info.joint_entropy(pxy)
        assert_allclose(mi, h_x - info.conditional_entropy(pxy), atol=1e-14)
        assert_allclose(mi, h_y - info.conditional_entropy(pxy.T), atol=1e-14)
        assert_allclose(mi, h_x + h_y - h_xy, atol=1e-14)
        assert_allclose(mi, info.kl_divergence(pxy, np.outer(px, py)), atol=1e-14)
        assert mi >= 0


def test_entropy_matches_scipy_and_reference(rng):
    for size in [1, 2, 5, 50]:
        p = random_table(rng, size)
        assert_allclose(info.entropy(p), scipy.stats.entropy(p), rtol=1e-13)
        assert_allclose(info.entropy(p, base=2), scipy.stats.entropy(p, base=2), rtol=1e-13)
        assert_allclose(info.entropy(p), naive_entropy_of_table(p), rtol=1e-13)


def test_joint_entropy_of_independent_table_adds(rng):
    px, py = random_table(rng, 4), random_table(rng, 3)
    assert_allclose(info.joint_entropy(np.outer(px, py)), info.entropy(px) + info.entropy(py))
    pxyz = random_table(rng, (2, 3, 4))
    assert_allclose(info.joint_entropy(pxyz), naive_entropy_of_table(pxyz), rtol=1e-13)


def test_kl_divergence_matches_scipy(rng):
    for size in [2, 5, 30]:
        p, q = random_table(rng, size, zeros=False), random_table(rng, size, zeros=False)
        expected = scipy.special.rel_entr(p, q).sum()
        assert_allclose(info.kl_divergence(p, q), expected, rtol=1e-13)
        assert_allclose(info.kl_divergence(p, q), scipy.stats.entropy(p, q), rtol=1e-13)
    assert info.kl_divergence([0.5, 0.5], [0.5, 0.5]) == 0.0


def test_kl_divergence_is_inf_where_q_is_zero_and_p_is_not():
    assert info.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    # p = 0 where q = 0 is fine: 0 log 0 = 0.
    assert info.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))
    assert info.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_counts_are_normalised():
    assert info.entropy([9, 5]) == pytest.approx(info.entropy([9 / 14, 5 / 14]), rel=1e-15)
    assert info.mutual_info(np.array([[45, 5], [5, 45]], dtype=np.int32), base=2) == (
        pytest.approx(1 - h2(0.1), abs=1e-14)
    )
    assert info.kl_divergence([1, 1], [3, 1]) == pytest.approx(
        info.kl_divergence([0.5, 0.5], [0.75, 0.25])
    )


def test_base_converts_units():
    p = [0.2, 0.3, 0.5]
    assert info.entropy(p, base=2) == pytest.approx(info.entropy(p) / math.log(2), rel=1e-15)
    assert info.entropy(p, base=10) == pytest.approx(info.entropy(p) / math.log(10), rel=1e-15)


def test_results_are_never_negative_zero():
    assert math.copysign(1.0, info.entropy([1.0])) == 1.0
    assert math.copysign(1.0, info.conditional_entropy([[0.5, 0.0], [0.0, 0.5]])) == 1.0


@pytest.mark.parametrize(
    "table, message",
    [
        ([], r"p is empty"),
        ([0.5, -0.1, 0.6], r"p contains negative entries \(-0\.1\)"),
        ([0.5, np.nan], r"p contains NaN or inf"),
        ([0.5, np.inf], r"p contains NaN or inf"),
        ([0.2, 0.3], r"p sums to 0\.5, not 1\. Pass probabilities that sum to 1, or counts"),
        ([0, 0], r"p sums to 0"),
        ([[0.5, 0.5]], r"p must be 1-D \(a distribution\); got shape \(1, 2\)"),
        (["a", "b"], r"p must be an array of probabilities or counts"),
    ],
)
def test_bad_tables_are_rejected(table, message):
    with pytest.raises(InvalidParameterError, match=message):
        info.entropy(table)


def test_bad_joint_tables_are_rejected():
    with pytest.raises(InvalidParameterError, match=r"pxy must be 2-D \(a joint table\)"):
        info.mutual_info([0.5, 0.5])
    with pytest.raises(InvalidParameterError, match=r"pxy must be 2-D"):
        info.conditional_entropy(np.full((2, 2, 2), 1 / 8))
    with pytest.raises(InvalidParameterError, match=r"pxy must be a joint table"):
        info.joint_entropy([0.5, 0.5])
    with pytest.raises(InvalidParameterError, match=r"p and q must have the same shape"):
        info.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(InvalidParameterError, match=r"q contains negative"):
        info.kl_divergence([0.5, 0.5], [1.5, -0.5])


@pytest.mark.parametrize("base", [0, -2, 1, 1.0, math.inf, math.nan, "2", True])
def test_bad_base_is_rejected(base):
    with pytest.raises(InvalidParameterError, match=r"base must be a real number > 0 and != 1"):
        info.entropy([0.5, 0.5], base=base)
