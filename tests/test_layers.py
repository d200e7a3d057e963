"""fastmi.layers: layer_mi, layer_similarity, unit_matching, information_plane, and
their plots. Oracles: Gaussian closed forms, CKA and unbiased HSIC written out with
n x n kernel matrices, and fastmi.mi on the same layers."""

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

import fastmi
from fastmi import InvalidParameterError, PerfectDependenceWarning, UnreliableEstimateWarning
from fastmi.layers._copula import score_basis
from fastmi.layers._null import pvalue

from .reference import naive_ksg_mi, scaled

RHOS = np.array([0.9, 0.6, 0.3])


def gaussian_layers(rng, n, rhos=RHOS, extra_b=1):
    """A (n, len(rhos)) and B (n, len(rhos) + extra_b), mixed by invertible linear maps,
    whose canonical correlations are rhos (and 0)."""
    d = len(rhos)
    a = rng.normal(size=(n, d))
    b = np.column_stack(
        [rhos * a + np.sqrt(1 - rhos**2) * rng.normal(size=(n, d)), rng.normal(size=(n, extra_b))]
    )
    mix_a = rng.normal(size=(d, d)) + 2 * np.eye(d)
    mix_b = rng.normal(size=(d + extra_b, d + extra_b)) + 2 * np.eye(d + extra_b)
    return a @ mix_a, b @ mix_b


def gaussian_mi(rhos):
    return -0.5 * np.log1p(-np.square(rhos)).sum()


# --- slow, obvious formulas --------------------------------------------------------


def naive_hsic(K, L):
    """Biased HSIC (Gretton et al. 2005): tr(K H L H) / (n - 1)^2."""
    n = K.shape[0]
    H = np.eye(n) - np.ones((n, n)) / n
    return np.trace(K @ H @ L @ H) / (n - 1) ** 2


def naive_cka(X, Y):
    K, L = X @ X.T, Y @ Y.T
    return naive_hsic(K, L) / np.sqrt(naive_hsic(K, K) * naive_hsic(L, L))


def naive_unbiased_hsic(K, L):
    """Song et al. (2012), eq. (5), with explicit zero-diagonal kernels."""
    n = K.shape[0]
    Kt, Lt = K - np.diag(np.diag(K)), L - np.diag(np.diag(L))
    one = np.ones(n)
    return (
        np.trace(Kt @ Lt)
        + (one @ Kt @ one) * (one @ Lt @ one) / ((n - 1) * (n - 2))
        - 2 / (n - 2) * (one @ Kt @ Lt @ one)
    ) / (n * (n - 3))


def naive_debiased_cka(X, Y):
    K, L = X @ X.T, Y @ Y.T
    return naive_unbiased_hsic(K, L) / np.sqrt(
        naive_unbiased_hsic(K, K) * naive_unbiased_hsic(L, L)
    )


def pair_score(A, B, score):
    return float(np.asarray(fastmi.layer_similarity([A, B], score=score))[0, 1])


# --- layer_mi ----------------------------------------------------------------------


def test_layer_mi_matches_the_gaussian_closed_form(rng):
    A, B = gaussian_layers(rng, 20_000)
    # sampling sd ~ 0.01 nats here; the bias d_a d_b / (2n) = 3e-4
    assert fastmi.layer_mi(A, B) == pytest.approx(gaussian_mi(RHOS), abs=0.03)
    corrected = fastmi.layer_mi(A, B, correction="gaussian")
    assert corrected == pytest.approx(gaussian_mi(RHOS), abs=0.03)
    assert corrected < fastmi.layer_mi(A, B)
    assert fastmi.layer_mi(A, B, base=2) == pytest.approx(fastmi.layer_mi(A, B) / math.log(2))


@pytest.mark.parametrize("correction", [None, "gaussian"])
def test_layer_mi_equals_fastmi_mi_gcmi(rng, correction):
    A, B = gaussian_layers(rng, 3000)
    expected = fastmi.mi(A, B, method="gcmi", correction=correction)
    assert_allclose(fastmi.layer_mi(A, B, correction=correction), expected, rtol=1e-9)


def test_layer_mi_ksg_matches_the_reference_and_the_closed_form(rng):
    A, B = gaussian_layers(rng, 300, rhos=np.array([0.8, 0.5]), extra_b=0)
    expected = naive_ksg_mi(scaled(A), scaled(B), 3)  # the paper's formula, O(n^2)
    assert fastmi.layer_mi(A, B, method="ksg") == pytest.approx(expected, rel=1e-6)
    A, B = gaussian_layers(rng, 3000, rhos=np.array([0.8, 0.5]), extra_b=0)
    # KSG's small downward bias in 4 dimensions; sampling sd ~ 0.02 nats
    assert fastmi.layer_mi(A, B, method="ksg") == pytest.approx(
        gaussian_mi(np.array([0.8, 0.5])), abs=0.06
    )


def test_layer_mi_reduction(rng):
    A, B = gaussian_layers(rng, 5000)
    wide_a = np.column_stack([A, 1e-3 * rng.normal(size=(5000, 5))])  # 5 faint units
    pca = fastmi.layer_mi(wide_a, B, n_components=4)  # B (4 units) is kept as it is
    assert pca == pytest.approx(fastmi.layer_mi(A, B), abs=0.02)
    projected = fastmi.layer_mi(wide_a, B, n_components=4, reduce="random", random_state=1)
    assert projected == pytest.approx(pca, abs=0.03)  # A's 3 directions survive
    assert projected == fastmi.layer_mi(wide_a, B, n_components=4, reduce="random", random_state=1)
    assert fastmi.layer_mi(wide_a, B, n_components=2) < pca - 0.1  # B loses directions


def test_identical_layers_have_infinite_mi_with_a_warning(rng):
    A = rng.normal(size=(500, 4))
    with pytest.warns(PerfectDependenceWarning, match=r"4 canonical direction\(s\)"):
        assert fastmi.layer_mi(A, np.exp(A[:, ::-1])) == math.inf


def test_deterministic_map_warns_beyond_log_n(rng):
    X = rng.normal(size=(2000, 10))
    T = np.tanh(X @ rng.normal(size=(10, 10)))
    with pytest.warns(UnreliableEstimateWarning, match=r"more than log n = 7\.6 nats"):
        assert fastmi.layer_mi(X, T) > math.log(2000)


def test_small_sample_bias_warns(rng):
    A, B = rng.normal(size=(2, 500, 50))
    with pytest.warns(UnreliableEstimateWarning, match=r"d_a d_b / \(2 n\) = 2\.5 nats"):
        fastmi.layer_mi(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert abs(fastmi.layer_mi(A, B, correction="gaussian")) < 0.5


def test_knn_in_many_dimensions_warns(rng):
    A, B = rng.normal(size=(300, 12)), rng.normal(size=(300, 10))
    with pytest.warns(UnreliableEstimateWarning, match=r"kNN estimate in 22 joint dimensions"):
        fastmi.layer_mi(A, B, method="ksg")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fastmi.layer_mi(A, B, method="ksg", n_components=5)


def test_repeated_units_collapse_through_the_eigh_fallback(rng):
    A, B = gaussian_layers(rng, 2000)
    # a duplicated unit and a monotone map of one (the same normal scores): the Gram
    # matrix of the scores is singular, so _whiten drops the null direction via eigh
    repeated = np.column_stack([A, A[:, 0], np.exp(A[:, 1])])
    basis = score_basis(repeated, "A")
    assert (basis.units, basis.rank) == (5, 3)
    assert_allclose(basis.basis.T @ basis.basis, np.eye(3), atol=1e-12)
    assert fastmi.layer_mi(repeated, B) == pytest.approx(fastmi.layer_mi(A, B), rel=1e-9)
    assert pair_score(repeated, B, "mi_corr") == pytest.approx(pair_score(A, B, "mi_corr"))


def test_pvalue_of_an_infinite_statistic():
    assert pvalue(math.inf, np.array([1.0, 5.0, 2.0])) == 0.25  # nothing beats it
    assert pvalue(math.inf, np.array([1.0, math.inf, 2.0])) == 0.5  # only inf ties it
    assert pvalue(1.5, np.array([1.0, math.inf, 2.0])) == 0.75


def test_reduction_of_extreme_scales(rng):
    A, B = gaussian_layers(rng, 2000)
    wide = np.column_stack([A, rng.normal(size=(2000, 3))])
    expected = fastmi.layer_mi(wide, B, n_components=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow, no "did not converge"
        for scale in (1e160, 1e-170):
            assert fastmi.layer_mi(scale * wide, B, n_components=3) == pytest.approx(
                expected, rel=1e-9
            )


# --- layer_similarity --------------------------------------------------------------


@pytest.mark.parametrize("score", ["cka", "cka_debiased"])
def test_cka_of_extreme_scales(rng, score):
    X = rng.normal(size=(200, 6))
    Y = np.tanh(X @ rng.normal(size=(6, 4))) + 0.3 * rng.normal(size=(200, 4))
    expected = naive_cka(X, Y) if score == "cka" else naive_debiased_cka(X, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow, no "is constant"
        for scale in (1e160, 1e-170):
            assert_allclose(pair_score(scale * X, Y, score), expected, rtol=1e-9)
            assert_allclose(pair_score(X, scale * (Y + 1.0), score), expected, rtol=1e-9)


@pytest.mark.parametrize("score", ["mi_corr", "mi", "cka", "cka_debiased"])
def test_constant_layer_raises_for_every_score(rng, score):
    A = rng.normal(size=(100, 3))
    layers = {"a": A, "dead": np.full((100, 4), 0.1)}
    with pytest.raises(InvalidParameterError, match=r"dead is constant .* drop it\."):
        fastmi.layer_similarity(layers, score=score)
    # a constant unit in a varying layer is ignored
    partly = np.column_stack([A[:, :2], np.full(100, 7.0)])
    with warnings.catch_warnings():  # the floor and log n warnings of mi_corr and mi
        warnings.simplefilter("ignore", UnreliableEstimateWarning)
        same = pair_score(partly, A[:, :2], score), pair_score(A[:, :2], A[:, :2], score)
    assert same[0] == pytest.approx(same[1])


def test_mi_corr_is_the_mean_canonical_correlation(rng):
    A, B = gaussian_layers(rng, 20_000)
    assert pair_score(A, B, "mi_corr") == pytest.approx(RHOS.mean(), abs=0.02)


def test_mi_corr_bounds(rng):
    A = rng.normal(size=(5000, 3))
    assert pair_score(A, A, "mi_corr") == pytest.approx(1.0, abs=1e-12)
    assert pair_score(A, rng.normal(size=(5000, 3)), "mi_corr") < 0.05  # floor sqrt(3/n)
    S = np.asarray(fastmi.layer_similarity([A, rng.normal(size=(5000, 2))]))
    assert np.all((S >= 0) & (S <= 1))


def test_mi_corr_does_not_saturate_on_one_direction(rng):
    A, B = gaussian_layers(rng, 5000, rhos=np.array([0.999, 0, 0, 0, 0]), extra_b=0)
    whole = math.sqrt(-math.expm1(-2 * fastmi.layer_mi(A, B)))
    assert whole > 0.99  # the informational correlation of the whole MI saturates
    assert pair_score(A, B, "mi_corr") == pytest.approx(0.2, abs=0.03)


def test_mi_corr_invariant_to_monotone_maps_of_units(rng):
    A, B = gaussian_layers(rng, 2000)
    mapped = np.column_stack([np.exp(A[:, 0]), A[:, 1] ** 3, -1 / (1 + np.exp(-A[:, 2]))])
    assert pair_score(mapped, B, "mi_corr") == pair_score(A, B, "mi_corr")
    assert fastmi.layer_mi(mapped, B) == fastmi.layer_mi(A, B)


@pytest.mark.parametrize("n, d_x, d_y", [(40, 5, 7), (30, 50, 4), (25, 40, 60)])
def test_cka_matches_the_kernel_formulas(rng, n, d_x, d_y):
    X = rng.normal(size=(n, d_x)) + 3.0  # uncentred: both estimators centre
    Y = X[:, :1] * rng.normal(size=(1, d_y)) + rng.normal(size=(n, d_y))
    assert_allclose(pair_score(X, Y, "cka"), naive_cka(X, Y), rtol=1e-10)
    assert_allclose(pair_score(X, Y, "cka_debiased"), naive_debiased_cka(X, Y), rtol=1e-9)


@pytest.mark.parametrize("score", ["cka", "cka_debiased"])
def test_cka_invariant_to_orthogonal_maps_and_isotropic_scaling(rng, score):
    X = rng.normal(size=(200, 6))
    Y = np.tanh(X @ rng.normal(size=(6, 4))) + 0.3 * rng.normal(size=(200, 4))
    Q = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    base = pair_score(X, Y, score)
    assert_allclose(pair_score(3.7 * X @ Q, Y, score), base, rtol=1e-10)
    assert_allclose(pair_score(X, 0.01 * Y + 5.0, score), base, rtol=1e-10)
    assert abs(pair_score(X @ np.diag([1, 1, 1, 1, 1, 20.0]), Y, score) - base) > 1e-3


def test_debiased_cka_is_near_zero_for_independent_layers(rng):
    X, Y = rng.normal(size=(2, 500, 50))
    assert abs(pair_score(X, Y, "cka_debiased")) < 0.02
    assert pair_score(X, Y, "cka") > 0.05  # the bias that debiasing removes


def test_layer_similarity_labels_and_shapes(rng):
    pd = pytest.importorskip("pandas")
    layers = {"in": rng.normal(size=(300, 3)), "h1": rng.normal(size=(300, 5))}
    S = fastmi.layer_similarity(layers, score="cka")
    assert isinstance(S, pd.DataFrame)
    assert list(S.index) == list(S.columns) == ["in", "h1"]
    M = fastmi.layer_similarity(list(layers.values()), score="cka")
    assert isinstance(M, np.ndarray)
    assert_allclose(M, S.to_numpy())
    assert_allclose(np.diag(M), 1.0)
    mi = fastmi.layer_similarity(layers, score="mi", base=2)
    assert np.isinf(np.diag(mi)).all()
    expected = fastmi.layer_mi(layers["in"], layers["h1"], base=2)
    assert mi.loc["in", "h1"] == pytest.approx(expected, rel=1e-9)


def test_permutation_baseline(rng):
    A, B = gaussian_layers(rng, 1000)
    C = rng.normal(size=(1000, 3))
    result = fastmi.layer_similarity([A, B, C], n_permutations=30, random_state=3)
    assert isinstance(result, fastmi.LayerSimilarity)
    assert result.null_distribution.shape == (30, 3, 3)
    baseline = np.asarray(result.baseline)
    assert np.all(np.abs(baseline - math.sqrt(4 / 999)) < 0.05)  # the floor for 3 x 4
    pvalue = np.asarray(result.pvalue)
    assert pvalue[0, 1] == pytest.approx(1 / 31)
    assert pvalue[0, 2] > 0.05 and pvalue[1, 2] > 0.05
    again = fastmi.layer_similarity([A, B, C], n_permutations=30, random_state=3)
    assert_allclose(again.null_distribution, result.null_distribution)


def test_mi_corr_warns_when_the_floor_is_high(rng):
    A, B = rng.normal(size=(2, 200, 30))
    with pytest.warns(UnreliableEstimateWarning, match=r"sqrt\(d / \(n - 1\)\) = 0\.39"):
        fastmi.layer_similarity([A, B])


# --- tensors and errors ------------------------------------------------------------


class ArrayTensor:
    """Like a torch tensor on the CPU: converts through __array__."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return self.values if dtype is None else self.values.astype(dtype)


class DLPackTensor:
    """Like a tensor that speaks only DLPack."""

    def __init__(self, values):
        self.values = values

    def __dlpack__(self, **kwargs):
        return self.values.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self.values.__dlpack_device__()


class GPUTensor:
    def __dlpack__(self, **kwargs):
        raise BufferError("the data is on a CUDA device")

    def __dlpack_device__(self):
        return (2, 0)


@pytest.mark.parametrize("wrap", [ArrayTensor, DLPackTensor])
def test_tensor_like_inputs(rng, wrap):
    A, B = gaussian_layers(rng, 500)
    assert fastmi.layer_mi(wrap(A), wrap(B)) == fastmi.layer_mi(A, B)
    assert_allclose(
        fastmi.layer_similarity([wrap(A), wrap(B)], score="cka"),
        fastmi.layer_similarity([A, B], score="cka"),
    )
    assert fastmi.unit_matching(wrap(A), wrap(B)).share == fastmi.unit_matching(A, B).share
    y = (A[:, 0] > 0).astype(np.int64)
    plane = fastmi.information_plane(wrap(A), {"b": wrap(B)}, wrap(y))
    expected = fastmi.information_plane(A, {"b": B}, y)
    assert_allclose(plane[["I_XT", "I_TY"]], expected[["I_XT", "I_TY"]])
    continuous = fastmi.information_plane(A, [wrap(B)], wrap(A[:, :1]))
    assert_allclose(continuous["I_TY"], fastmi.information_plane(A, [B], A[:, :1])["I_TY"])


def test_unreadable_tensor_says_how_to_hand_it_over(rng):
    with pytest.raises(InvalidParameterError, match=r"A could not be read.*\.detach\(\)\.cpu\(\)"):
        fastmi.layer_mi(GPUTensor(), rng.normal(size=(10, 2)))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda A, B: fastmi.layer_mi(A, B[:-1]), r"same number of samples .*A: 100, B: 99\."),
        (
            lambda A, B: fastmi.layer_mi(A[:, 0], B),
            r"A must be 2-D \(n_samples, n_units\); got shape \(100,\)\. "
            r"For a single unit pass A\.reshape\(-1, 1\)\.",
        ),
        (
            lambda A, B: fastmi.layer_mi(A, B.reshape(100, 2, 2)),
            r"B must be 2-D .* Flatten the units first",
        ),
        (
            lambda A, B: fastmi.layer_mi(A, np.where(B > 2, np.nan, B)),
            r"B contains NaN or inf \(first at sample \d+, unit \d\); drop or impute them first\.",
        ),
        (
            lambda A, B: fastmi.layer_mi(A[:6], B[:6]),
            r"needs more samples than the two layers' units together; "
            r"got 6 samples for 3 \+ 4 units",
        ),
        (lambda A, B: fastmi.layer_mi(A, B, method="kde"), r"method must be one of"),
        (lambda A, B: fastmi.layer_mi(A, B, n_components=0), r"n_components must be >= 1; got 0\."),
        (
            lambda A, B: fastmi.layer_mi(A, B, reduce="ica"),
            r"reduce must be one of 'pca', 'random'; got 'ica'\.",
        ),
        (
            lambda A, B: fastmi.layer_mi(A, B, correction="miller-madow"),
            r"with method='gcmi' pass None or 'gaussian'",
        ),
        (
            lambda A, B: fastmi.layer_similarity([A, B], score="svcca"),
            r"score must be one of 'mi_corr', 'mi', 'cka', 'cka_debiased'; got 'svcca'\.",
        ),
        (
            lambda A, B: fastmi.layer_similarity(A),
            r"layers must be a dict of named layers or a list of layers",
        ),
        (lambda A, B: fastmi.layer_similarity({}), r"layers is empty"),
        (lambda A, B: fastmi.layer_similarity({"a": A, "b": B[:50]}), r"a: 100, b: 50"),
        (
            lambda A, B: fastmi.layer_similarity([A, np.ones((100, 2))], score="cka"),
            r"layers\[1\] is constant .* drop it\.",
        ),
        (
            lambda A, B: fastmi.layer_similarity([A[:3], B[:3]], score="cka_debiased"),
            r"needs at least 4 samples",
        ),
        (
            lambda A, B: fastmi.layer_similarity([A, B], n_permutations=-1),
            r"n_permutations must be >= 0",
        ),
        (
            lambda A, B: fastmi.unit_matching(A, B, threshold=None),
            r"threshold=None decides by permutation p-values alone",
        ),
        (
            lambda A, B: fastmi.unit_matching(A, B, threshold=2),
            r"threshold must be a number in \[0, 1\] or None; got 2\.",
        ),
        (lambda A, B: fastmi.unit_matching(A, B, alpha=0), r"alpha must be a number in \(0, 1\)"),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B}, np.zeros(99)),
            r"y must have one value per sample of X; got 99 for 100\.",
        ),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B[:90]}, np.zeros(100)),
            r"layers\['t'\] has 90 samples; X has 100",
        ),
        (
            lambda A, B: fastmi.information_plane(A, [{"t": B}], np.zeros(100), epochs=[1, 2]),
            r"epochs must label the 1 snapshots",
        ),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B}, np.zeros(100), method="kde"),
            r"method must be one of 'gcmi', 'hist', 'ksg'",
        ),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B}, np.arange(100) % 40),
            r"the smallest class of y has 2",
        ),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B}, A[:, 0], correction="ksg"),
            r"correction must be None or 'gaussian' \(gcmi\); got 'ksg'\.",
        ),
        (
            lambda A, B: fastmi.information_plane(
                A[:10], {"t": B[:10]}, np.random.default_rng(1).normal(size=(10, 9))
            ),
            r"I\(T;Y\) of layers\['t'\]\) needs more samples .* got 10 samples for 4 \+ 9",
        ),
        (
            lambda A, B: fastmi.information_plane(A, {"t": B, "epoch 1": {"t": B}}, A[:, 0]),
            r"layers must be one snapshot .* a dict \{epoch: snapshot\}.*; got a dict mixing",
        ),
        (
            lambda A, B: fastmi.information_plane(A, "B", A[:, 0]),
            r"layers must be one snapshot .*; got str\.",
        ),
        (
            lambda A, B: fastmi.unit_matching(A, B, threshold=True),
            r"threshold must be a number in \[0, 1\] or None; got True\.",
        ),
    ],
)
def test_errors_name_the_argument_and_the_fix(rng, call, message):
    A, B = rng.normal(size=(100, 3)), rng.normal(size=(100, 4))
    with pytest.raises(InvalidParameterError, match=message):
        call(A, B)


# --- unit_matching -----------------------------------------------------------------


def test_unit_matching_finds_planted_partners(rng):
    A = rng.normal(size=(3000, 4))
    B = np.column_stack(
        [np.exp(A[:, 2]), rng.normal(size=3000), A[:, 0] ** 3, np.tanh(A[:, 1])]
    ) + 0.3 * rng.normal(size=(3000, 4))
    match = fastmi.unit_matching(A, B)
    assert list(match.partner[[0, 1, 2]]) == [2, 3, 0]
    assert list(match.explained) == [True, True, True, False]
    assert match.share == 0.75
    cross = fastmi.pairwise_mi(A, B, method="gcmi")
    assert_allclose(match.mi, cross.max(axis=1))
    assert_allclose(match.strength, np.sqrt(-np.expm1(-2 * cross.max(axis=1))))
    tested = fastmi.unit_matching(A, B, threshold=None, n_permutations=19, random_state=1)
    assert tested.pvalue[:3] == pytest.approx([0.05] * 3)
    assert tested.pvalue[3] > 0.05
    assert list(tested.explained) == [True, True, True, False]


def test_unit_matching_constant_unit_has_no_partner(rng):
    A = np.column_stack([rng.normal(size=500), np.zeros(500)])
    B = np.column_stack([rng.normal(size=500), A[:, 0] + rng.normal(size=500)])
    match = fastmi.unit_matching(A, B, threshold=np.int64(0), n_permutations=19)
    assert list(match.partner) == [1, -1]
    assert match.mi[1] == 0.0
    assert np.isnan(match.strength[1]) and np.isnan(match.pvalue[1])
    assert list(match.explained) == [True, False]
    pd = pytest.importorskip("pandas")
    labelled = fastmi.unit_matching(A, pd.DataFrame(B, columns=["u", "v"]), threshold=0.1)
    assert list(labelled.partner) == ["v", None]


def test_unit_matching_best_partner_pvalue_accounts_for_the_choice(rng):
    """A unit against 300 independent noise units: the best of them looks significant
    on its own (per-pair p about 1 / 300) but not as the best of 300."""
    n, width, permutations = 200, 300, 99
    a, B = rng.normal(size=(n, 1)), rng.normal(size=(n, width))
    match = fastmi.unit_matching(a, B, threshold=None, n_permutations=permutations)
    partner = match.partner[0]
    perm_rng = np.random.default_rng(5)
    pair_null = np.array(
        [fastmi.mi(a[:, 0], B[perm_rng.permutation(n), partner], method="gcmi")
         for _ in range(permutations)]
    )  # fmt: skip
    per_pair = (1 + np.count_nonzero(pair_null >= match.mi[0])) / (1 + permutations)
    assert per_pair < 0.05
    assert match.pvalue[0] > 0.2
    assert not match.explained[0]


def test_unit_matching_table_strength_is_the_share_of_entropy(rng):
    A = rng.integers(0, 4, size=(2000, 2))
    B = np.column_stack([A[:, 0] % 2, rng.integers(0, 3, 2000)])
    match = fastmi.unit_matching(A, B, method="discrete")
    assert match.partner[0] == 0
    assert match.strength[0] == pytest.approx(0.5, abs=0.01)  # 1 bit of 2
    assert match.strength[1] < 0.01


def test_unit_matching_labels_and_frame(rng):
    pd = pytest.importorskip("pandas")
    A = pd.DataFrame(rng.normal(size=(500, 2)), columns=["a0", "a1"])
    B = pd.DataFrame({"b0": A["a1"] + rng.normal(size=500), "b1": rng.normal(size=500)})
    match = fastmi.unit_matching(A, B, threshold=0.3)
    assert list(match.matrix.columns) == ["b0", "b1"]
    frame = match.to_frame()
    assert list(frame.index) == ["a0", "a1"]
    assert frame.loc["a1", "partner"] == "b0" and bool(frame.loc["a1", "explained"])


# --- information_plane -------------------------------------------------------------


def test_information_plane_gaussian_values(rng):
    n = 20_000
    X = rng.normal(size=(n, 3))
    y = X[:, 0] + rng.normal(size=n)  # continuous target
    layers = {
        "t1": X[:, :2] + rng.normal(size=(n, 2)),
        "t2": X[:, :1] + 2 * rng.normal(size=(n, 1)),
    }
    plane = fastmi.information_plane(X, layers, y)
    assert list(plane.columns) == ["epoch", "layer", "I_XT", "I_TY"]
    assert list(plane["layer"]) == ["t1", "t2"]
    # t1: two directions with rho^2 = 1/2; I(t1;y) through t1[:, 0]: rho^2 = 1/4
    assert plane["I_XT"][0] == pytest.approx(math.log(2), abs=0.02)
    assert plane["I_TY"][0] == pytest.approx(-0.5 * math.log(0.75), abs=0.02)
    # t2: rho^2 = 1/5 with X; 1/10 with y
    assert plane["I_XT"][1] == pytest.approx(-0.5 * math.log(0.8), abs=0.02)
    assert plane["I_TY"][1] == pytest.approx(-0.5 * math.log(0.9), abs=0.02)


def test_information_plane_epochs_and_discrete_labels(rng):
    X = rng.normal(size=(1000, 2))
    y = np.where(X[:, 0] > 0, "pos", "neg")
    snapshots = [{"h": X + s * rng.normal(size=(1000, 2))} for s in (2.0, 1.0, 0.5)]
    plane = fastmi.information_plane(X, snapshots, y, epochs=[1, 5, 10], base=2)
    assert list(plane["epoch"]) == [1, 5, 10]
    assert np.all(np.diff(plane["I_XT"]) > 0) and np.all(np.diff(plane["I_TY"]) > 0)
    assert np.all(plane["I_TY"] < 1.0)  # H(Y) = 1 bit


def test_information_plane_class_mi_is_bounded_by_h_y(rng):
    X = rng.normal(size=(3000, 3))
    y = np.arange(3000) % 3
    far = X + 8.0 * np.eye(3)[y]  # three well separated classes: I(T;Y) = H(Y)
    same = X  # T independent of y
    plane = fastmi.information_plane(X + rng.normal(size=(3000, 3)), [far, same], y)
    assert plane["I_TY"][0] == pytest.approx(math.log(3), abs=1e-3)
    assert 0 <= plane["I_TY"][1] < 0.01
    # two Gaussian classes one unit apart: the estimate lies between the truth,
    # computed here by numerical integration, and the Gaussian bound 1/2 log(5/4)
    y2 = np.arange(20_000) % 2
    t = rng.normal(size=20_000) + y2
    grid = np.linspace(-8, 9, 20_001)
    p0, p1 = np.exp(-0.5 * grid**2), np.exp(-0.5 * (grid - 1) ** 2)
    mix = (p0 + p1) / 2 / np.sqrt(2 * np.pi)
    h_mix = -np.sum(mix * np.log(mix)) * (grid[1] - grid[0])
    truth = h_mix - 0.5 * math.log(2 * math.pi * math.e)
    x = t[:, None] + rng.normal(size=(20_000, 1))
    estimate = fastmi.information_plane(x, [t[:, None]], y2)["I_TY"][0]
    assert truth - 0.01 < estimate < 0.5 * math.log(1.25) + 0.01
    assert estimate < -math.log((1 + math.exp(-0.5)) / 2)  # the looser pairwise-KL bound


def test_information_plane_class_bias_warns_and_is_corrected(rng):
    """Pure-noise layers of 32 units, 10 classes, n = 1797 (the digits): the per-class
    covariances inflate the Gaussian bound by about d (d + 1) (K - 1) / (4 n) = 1.3
    nats, 60 % of H(Y); correction='gaussian' removes it."""
    n = 1797
    X, T = rng.normal(size=(n, 3)), rng.normal(size=(n, 32))
    y = np.arange(n) % 10
    with pytest.warns(
        UnreliableEstimateWarning, match=r"I\(T;Y\) of 't' \(epoch 0\): 1\.\d nats, floor 1\.\d"
    ) as caught:
        raw = fastmi.information_plane(X, {"t": T}, y)["I_TY"][0]
    assert "correction='gaussian'" in str(caught[0].message)
    assert "n_components" in str(caught[0].message)
    assert raw > 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corrected = fastmi.information_plane(X, {"t": T}, y, correction="gaussian")["I_TY"][0]
    assert abs(corrected) < 0.1 and abs(corrected) < 0.1 * raw  # sd ~ 0.03 nats


def test_information_plane_warns_about_the_bias_of_i_xt(rng):
    X, T = rng.normal(size=(2, 500, 30))
    with pytest.warns(UnreliableEstimateWarning, match=r"I\(X;T\) of 0 \(epoch 0\).*floor 0\.9"):
        fastmi.information_plane(X, [T], X[:, 0])


@pytest.mark.parametrize("units", [1, 2])
def test_information_plane_singular_class_covariance_raises(rng, units):
    """ReLU units silent on a whole class: one Gaussian per class is degenerate (a raw
    LinAlgError for one unit, a silently wrong value for two before)."""
    n = 1000
    y = np.arange(n) % 2
    T = np.maximum(rng.normal(size=(n, units)) + 2.0, 0.0)
    T[y == 1, 0] = 0.0
    with pytest.raises(
        InvalidParameterError,
        match=r"layers\['relu'\]: the covariance .* within class 1 of y is singular "
        r"\(unit\(s\) \[0\] constant on that class.*method='ksg'",
    ):
        fastmi.information_plane(rng.normal(size=(n, 2)), {"relu": T}, y)


def test_information_plane_layouts(rng):
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] > 0).astype(int)
    a, b = X + rng.normal(size=(400, 2)), X + 2 * rng.normal(size=(400, 2))
    expected = fastmi.information_plane(X, [{0: a, 1: b}, {0: b, 1: a}], y)
    unnamed = fastmi.information_plane(X, [[a, b], (b, a)], y)  # epochs of unnamed layers
    assert_allclose(unnamed[["I_XT", "I_TY"]], expected[["I_XT", "I_TY"]])
    keyed = fastmi.information_plane(X, {"e1": {0: a, 1: b}, "e2": {0: b, 1: a}}, y)
    assert list(keyed["epoch"]) == ["e1", "e1", "e2", "e2"]
    assert_allclose(keyed[["I_XT", "I_TY"]], expected[["I_XT", "I_TY"]])
    rows = fastmi.information_plane(X, [a.tolist(), b.tolist()], y)  # layers as lists of rows
    assert_allclose(rows[["I_XT", "I_TY"]], expected[["I_XT", "I_TY"]][:2])


def test_information_plane_hist_is_the_binned_recipe_and_warns_at_the_ceiling(rng):
    X = rng.normal(size=(400, 3))  # distinct rows: I(X;T) = H(T)
    y = (X[:, 0] > 0).astype(int)
    T = np.tanh(X @ rng.normal(size=(3, 2)))
    plane = fastmi.information_plane(X, {"t": T}, y, method="hist", bins=4)
    low, high = T.min(), T.max()
    codes = np.minimum(((T - low) / (high - low) * 4).astype(int), 3)
    joint = codes[:, 0] * 4 + codes[:, 1]
    assert plane["I_XT"][0] == pytest.approx(fastmi.entropy(joint), abs=1e-12)
    assert plane["I_TY"][0] == pytest.approx(fastmi.mi(joint, y), abs=1e-12)
    with pytest.warns(fastmi.SaturationWarning, match=r"fewer than 2 of the 400 samples"):
        saturated = fastmi.information_plane(X, {"t": T}, y, method="hist", bins=1000)
    assert saturated["I_XT"][0] > math.log(400) - 0.01  # a few pairs of samples share a cell


def test_information_plane_warns_for_deterministic_layers_and_knn_dims(rng):
    X = rng.normal(size=(1000, 8))
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(UnreliableEstimateWarning, match=r"I\(X;T\) above log n"):
        fastmi.information_plane(X, [np.tanh(X @ rng.normal(size=(8, 8)))], y)
    with pytest.warns(
        UnreliableEstimateWarning, match=r"kNN estimates of I\(X;T\) in more than 20"
    ):
        plane = fastmi.information_plane(X, [rng.normal(size=(1000, 16))], y, method="ksg")
    assert plane["I_TY"][0] < 0.05


# --- plots -------------------------------------------------------------------------


def test_plots(rng):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fastmi.plot import information_plane, similarity_heatmap

    X = rng.normal(size=(500, 2))
    layers = {"a": X, "b": X + rng.normal(size=(500, 2))}
    ax = similarity_heatmap(fastmi.layer_similarity(layers), label="mi_corr")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert len(ax.texts) == 4
    layers["a"] = X + rng.normal(size=(500, 2))
    plane = fastmi.information_plane(X, [layers, layers], X[:, 0] > 0)
    ax = information_plane(plane)
    assert ax.get_xlabel() == "I(X;T) (nats)"
    with pytest.raises(InvalidParameterError, match="columns 'epoch', 'layer'"):
        information_plane({"epoch": [0]})
    with pytest.raises(InvalidParameterError, match=r"labels must name the 2 rows; got 1"):
        similarity_heatmap(np.eye(2), labels=["a"])
    pd = pytest.importorskip("pandas")
    # a DataFrame whose layer is called "score" is a matrix, not a LayerSimilarity
    frame = pd.DataFrame([[1.0, 0.3], [0.3, 1.0]], index=["score", "b"], columns=["score", "b"])
    ax = similarity_heatmap(frame)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["score", "b"]
    assert len(ax.texts) == 4
    plt.close("all")


def test_docs_figure_script(tmp_path):
    """docs/scripts/representations.py at two epochs (the committed PNG is made by
    hand at twelve)."""
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "docs" / "scripts" / "representations.py"
    spec = importlib.util.spec_from_file_location("representations_figure", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X, y, snapshots = module.train(epochs=2)
    assert [sorted(s) for s in snapshots] == [["h1", "h2", "h3"]] * 2
    assert snapshots[0]["h1"].shape == (1797, 32)
    plane = module.plot(X, y, snapshots, tmp_path / "figure.png")
    assert list(plane["epoch"]) == [0, 0, 0, 1, 1, 1]
    assert (tmp_path / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert module.OUT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
