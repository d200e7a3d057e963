"""Significance: analytic nulls against SciPy, calibration of p-values under
independence, multiple-comparison control, permutation schemes, reproducibility."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import fastmi
from fastmi import CalibrationWarning, InvalidParameterError
from fastmi.significance import _adjust, _nulls


@pytest.mark.parametrize("df", [1, 2, 3, 5, 12, 40, 400])
def test_chi2_survival_equals_scipy(df):
    for x in [1e-8, 0.3, df * 0.5, df, df + 3, 3 * df + 30, 2000.0]:
        assert _nulls.chi2_sf(x, df) == pytest.approx(stats.chi2.sf(x, df), rel=1e-10, abs=1e-300)
    assert _nulls.chi2_sf(0.0, df) == 1.0
    assert _nulls.chi2_sf(5.0, 0) == 1.0
    assert _nulls.chi2_sf(np.inf, df) == 0.0  # gcmi's perfect dependence


def test_g_test_equals_scipy_on_the_same_table(rng):
    x = rng.integers(0, 4, 600)
    y = (x + rng.integers(0, 3, 600)) % 5
    result = fastmi.mi_test(x, y, null="analytic")
    table = pd.crosstab(x, y).to_numpy()
    g, p, dof, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    assert result.null == "g-test" and result.df == dof == 12
    assert 2 * 600 * result.statistic == pytest.approx(g, rel=1e-12)
    assert result.pvalue == pytest.approx(p, rel=1e-9)
    in_bits = fastmi.mi_test(x, y, null="analytic", base=2)
    assert in_bits.pvalue == pytest.approx(p, rel=1e-9)  # units do not change p


def test_gaussian_null_equals_scipy(rng):
    x = rng.normal(size=400)
    y = 0.1 * x + rng.normal(size=(400, 2)).sum(axis=1)
    result = fastmi.mi_test(x, y, method="gcmi")
    assert result.null == "gaussian" and result.df == 1
    assert result.pvalue == pytest.approx(stats.chi2.sf(800 * result.statistic, 1), rel=1e-10)
    joint = fastmi.mi_test(np.column_stack([x, y]), rng.normal(size=(400, 3)), method="gcmi")
    assert joint.df == 6


def _ks_uniform(pvalues):
    return stats.kstest(pvalues, "uniform").pvalue


def test_analytic_pvalues_are_uniform_under_independence(rng):
    g = [fastmi.mi_test(rng.integers(0, 3, 300), rng.integers(0, 4, 300)).pvalue
         for _ in range(300)]  # fmt: skip
    gauss = [fastmi.mi_test(rng.normal(size=200), rng.exponential(size=200), method="gcmi")
             for _ in range(300)]  # fmt: skip
    assert _ks_uniform(g) > 0.01
    assert _ks_uniform([r.pvalue for r in gauss]) > 0.01
    assert {r.null for r in gauss} == {"gaussian"}


@pytest.mark.parametrize("method", ["ksg", "mixed"])
def test_permutation_pvalues_are_uniform_under_independence(rng, method):
    """300 independent pairs, 99 permutations each: uniform on the grid 1/100 ... 1."""
    pvalues = []
    for _ in range(300):
        x = rng.normal(size=80)
        y = rng.integers(0, 3, 80) if method == "mixed" else rng.standard_t(3, size=80)
        pvalues.append(fastmi.mi_test(x, y, method=method, n_permutations=99).pvalue)
    assert _ks_uniform(pvalues) > 0.01
    assert min(pvalues) >= 1 / 100


def test_permutation_test_detects_dependence_and_is_reproducible(rng):
    x = rng.normal(size=300)
    y = np.sin(3 * x) + 0.5 * rng.normal(size=300)  # no correlation, clear dependence
    result = fastmi.mi_test(x, y, n_permutations=199, random_state=3)
    assert result.null == "permutation" and result.method == "ksg"
    assert result.pvalue == 1 / 200
    assert result.statistic == fastmi.mi(x, y, random_state=3)
    assert result.null_distribution.shape == (199,)
    z = y + 3 * rng.normal(size=300)
    a = fastmi.mi_test(x, z, n_permutations=60, n_jobs=1)
    b = fastmi.mi_test(x, z, n_permutations=60, n_jobs=2)
    np.testing.assert_array_equal(a.null_distribution, b.null_distribution)
    assert a.pvalue == b.pvalue


def test_permutation_null_matches_a_loop_of_mi_calls(rng):
    """The null's matrix jobs compute what mi gives for each permuted copy."""
    x, y = rng.normal(size=150), rng.normal(size=150)
    result = fastmi.mi_test(x, y, n_permutations=20, random_state=5)
    perm_rng = np.random.default_rng(5)
    expected = [fastmi.mi(x, y[perm_rng.permutation(150)], random_state=5) for _ in range(20)]
    np.testing.assert_array_equal(result.null_distribution, expected)
    joint = fastmi.mi_test(np.column_stack([x, y]), y, n_permutations=5, random_state=5)
    perm_rng = np.random.default_rng(5)
    expected = [
        fastmi.mi(np.column_stack([x, y]), y[perm_rng.permutation(150)], random_state=5)
        for _ in range(5)
    ]
    np.testing.assert_array_equal(joint.null_distribution, expected)


def test_small_tables_fall_back_to_permutations(rng):
    x = rng.integers(0, 8, 40)
    y = rng.integers(0, 8, 40)  # 64 cells expecting 0.6 counts each
    assert fastmi.mi_test(x, y, n_permutations=50).null == "permutation"
    with pytest.warns(CalibrationWarning, match="fewer than 5 counts"):
        assert fastmi.mi_test(x, y, null="analytic").null == "g-test"


def test_errors_name_the_fix(rng):
    x, y = rng.normal(size=50), rng.normal(size=50)
    with pytest.raises(InvalidParameterError, match="no analytic null for method='ksg'"):
        fastmi.mi_test(x, y, null="analytic")
    with pytest.raises(InvalidParameterError, match="n_permutations must be >= 1"):
        fastmi.mi_test(x, y, n_permutations=0)
    with pytest.raises(InvalidParameterError, match="null must be one of"):
        fastmi.mi_test(x, y, null="exact")
    labels = rng.integers(0, 2, 50)
    with pytest.raises(InvalidParameterError, match="no analytic null"):
        fastmi.mi_test(labels, labels, correction="miller-madow", null="analytic")
    with pytest.raises(InvalidParameterError, match="needs\nnull='permutation'|needs null="):
        fastmi.pairwise_test(np.column_stack([labels, labels]), correction="maxstat",
                             null="analytic")  # fmt: skip
    with pytest.raises(InvalidParameterError, match="correction must be None or one of"):
        fastmi.pairwise_test(np.column_stack([x, y]), correction="holm")


def test_cmi_test_keeps_the_dependence_on_z(rng):
    """x and y depend on each other only through z: a plain test rejects, the
    conditional one does not; with a direct link, it rejects."""
    z = rng.normal(size=400)
    x, y = z + 0.5 * rng.normal(size=400), z + 0.5 * rng.normal(size=400)
    assert fastmi.mi_test(x, y, n_permutations=50).pvalue < 0.05
    result = fastmi.cmi_test(x, y, z, n_permutations=50)
    assert result.null == "local permutation" and result.pvalue > 0.05
    linked = fastmi.cmi_test(x, y + 0.5 * x, z, n_permutations=50)
    assert linked.pvalue == 1 / 51


def test_discrete_cmi_test_g_test_and_strata(rng):
    z = rng.integers(0, 3, 1500)
    x = (z + rng.integers(0, 2, 1500)) % 3
    y = (z + rng.integers(0, 2, 1500)) % 3
    analytic = fastmi.cmi_test(x, y, z)
    assert analytic.null == "g-test" and analytic.df == 3  # 2 x 2 levels within each z
    g = sum(
        stats.chi2_contingency(pd.crosstab(x[z == v], y[z == v]).to_numpy(), correction=False,
                               lambda_="log-likelihood")[0]
        for v in range(3)
    )  # fmt: skip
    assert 2 * 1500 * analytic.statistic == pytest.approx(g, rel=1e-10)
    stratified = fastmi.cmi_test(x, y, z, null="permutation", n_permutations=100)
    assert stratified.null == "stratified permutation"
    assert stratified.pvalue > 0.05 and analytic.pvalue > 0.05


def test_permutation_schemes_keep_what_they_must(rng):
    codes = rng.integers(0, 4, 200)
    permutation = _nulls.within_strata(codes, rng)
    assert sorted(permutation) == list(range(200))
    np.testing.assert_array_equal(codes[permutation], codes)
    z = [("z", rng.normal(size=300))]
    neighbours = _nulls.z_neighbours(z, 5)
    assert neighbours.shape == (300, 6)
    assert (neighbours[:, 0] == np.arange(300)).all()
    local = _nulls.local_permutation(neighbours, rng)
    assert all(local[i] in neighbours[i] for i in range(300))
    assert len(set(local)) > 0.8 * 300  # mostly a permutation: few repeats


def test_adjustments_equal_references():
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.5, 0.001])
    bh = stats.false_discovery_control(p, method="bh")
    np.testing.assert_allclose(_adjust.fdr_bh(p), bh, rtol=1e-12)
    np.testing.assert_allclose(_adjust.bonferroni(p), np.minimum(1, p * 6))
    maxima = np.array([0.1, 0.5, 0.2, 0.3])
    np.testing.assert_array_equal(
        _adjust.maxstat(np.array([0.6, 0.25, 0.05]), maxima), [1 / 5, 3 / 5, 5 / 5]
    )


def test_pairwise_test_matches_mi_test_pair_by_pair(rng):
    X = rng.integers(0, 3, size=(800, 5))
    X[:, 1] = (X[:, 0] + (rng.random(800) < 0.3)) % 3
    result = fastmi.pairwise_test(X, correction=None)
    assert result.nulls == {"g-test": 10} and result.n_permutations == 0
    for i, j in [(0, 1), (2, 4)]:
        single = fastmi.mi_test(X[:, i], X[:, j])
        assert result.pvalue[i, j] == result.pvalue[j, i] == pytest.approx(single.pvalue)
    assert np.isnan(np.diag(result.pvalue)).all()
    np.testing.assert_array_equal(result.mi, fastmi.pairwise_mi(X))
    fdr = fastmi.pairwise_test(X)
    upper = np.triu_indices(5, 1)
    np.testing.assert_allclose(
        fdr.adjusted[upper], stats.false_discovery_control(result.pvalue[upper]), rtol=1e-12
    )


def test_pairwise_test_of_a_mixed_frame_is_labelled(rng):
    frame = pd.DataFrame({"a": rng.normal(size=300), "b": rng.integers(0, 3, 300),
                          "c": rng.normal(size=300)})  # fmt: skip
    frame["d"] = frame["a"] + frame["b"] + 0.3 * rng.normal(size=300)
    result = fastmi.pairwise_test(frame, n_permutations=40, random_state=1)
    assert list(result.pvalue.columns) == ["a", "b", "c", "d"]
    assert result.nulls == {"permutation": 6}  # ksg and ross pairs: no analytic null
    table = fastmi.top_pairs(result, n=2)
    assert list(table.columns) == ["x", "y", "mi", "pvalue", "adjusted"]
    assert set(table.iloc[0][["x", "y"]]) in ({"a", "d"}, {"b", "d"})
    assert table["pvalue"].iloc[0] == 1 / 41
    again = fastmi.pairwise_test(frame, n_permutations=40, random_state=1, n_jobs=1)
    pd.testing.assert_frame_equal(again.pvalue, result.pvalue)
    cross = fastmi.pairwise_test(frame[["a", "b"]], frame[["c", "d"]], n_permutations=40)
    assert cross.pvalue.shape == (2, 2) and not cross.pvalue.isna().any().any()


def test_fdr_and_family_wise_control_over_repeats():
    """Gaussian-copula pairs with an analytic null: over repeats of a 12-variable
    table with 2 planted pairs, BH keeps the false discovery proportion at 5 % on
    average, Bonferroni the chance of any false discovery, and both find the planted
    pairs (power)."""
    rng = np.random.default_rng(11)
    fdp, any_false, found = [], [], []
    upper = np.triu_indices(12, 1)
    planted = np.zeros((12, 12), dtype=bool)
    planted[0, 1] = planted[2, 3] = True
    for _ in range(200):
        X = rng.normal(size=(300, 12))
        X[:, 1] += 0.4 * X[:, 0]
        X[:, 3] += 0.4 * X[:, 2]
        bh = fastmi.pairwise_test(X, method="gcmi").adjusted[upper] <= 0.05
        bonf = fastmi.pairwise_test(X, method="gcmi", correction="bonferroni").adjusted[upper]
        false = bh & ~planted[upper]
        fdp.append(false.sum() / max(bh.sum(), 1))
        any_false.append(((bonf <= 0.05) & ~planted[upper]).any())
        found.append(bh[planted[upper]].mean())
    se = np.std(fdp) / np.sqrt(len(fdp))
    assert np.mean(fdp) <= 0.05 + 2 * se
    assert np.mean(any_false) <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / len(any_false))
    assert np.mean(found) > 0.9


def test_maxstat_controls_the_family_wise_error(rng):
    """Under independence the table's maximum ranks first among 20 (19 permutations)
    with probability 1/20: any rejection at 0.05 in at most 5 % of repeats."""
    rejections, repeats = 0, 150
    for _ in range(repeats):
        X = rng.normal(size=(100, 6))
        result = fastmi.pairwise_test(X, method="gcmi", correction="maxstat", n_permutations=19)
        assert result.nulls == {"permutation": 15}
        rejections += bool((result.adjusted[np.triu_indices(6, 1)] <= 0.05).any())
    assert rejections / repeats <= 0.05 + 2 * np.sqrt(0.05 * 0.95 / repeats)


def test_mi_ci_subsamples_without_replacement(rng):
    x = rng.normal(size=600)
    y = 0.6 * x + 0.8 * rng.normal(size=600)
    interval = fastmi.mi_ci(x, y, n_resamples=50, random_state=2)
    assert interval.method == "ksg" and interval.subsample_size == 300
    assert interval.estimate == fastmi.mi(x, y, random_state=2)
    assert interval.low < interval.estimate < interval.high
    # the subsample estimates are what mi gives on those rows
    rows = np.sort(np.random.default_rng(2).choice(600, 300, replace=False))
    assert interval.resamples[0] == fastmi.mi(x[rows], y[rows], random_state=2)
    again = fastmi.mi_ci(x, y, n_resamples=50, random_state=2, n_jobs=1)
    np.testing.assert_array_equal(again.resamples, interval.resamples)
    wider = fastmi.mi_ci(x, y, n_resamples=50, random_state=2, confidence_level=0.99)
    assert wider.low <= interval.low and wider.high >= interval.high


def test_mi_ci_covers_gaussian_truth():
    """Coverage of the analytic MI of a Gaussian pair by the gcmi interval, over
    repeats: near the nominal 90 % (the full simulation is in bench/significance.py)."""
    rng = np.random.default_rng(7)
    truth = -0.5 * np.log(1 - 0.5**2)
    hits = 0
    for _ in range(120):
        x = rng.normal(size=400)
        y = 0.5 * x + np.sqrt(0.75) * rng.normal(size=400)
        interval = fastmi.mi_ci(x, y, method="gcmi", confidence_level=0.9, n_resamples=100)
        hits += interval.low <= truth <= interval.high
    assert 0.8 <= hits / 120 <= 0.97


def test_mi_ci_errors(rng):
    x = rng.normal(size=20)
    with pytest.raises(InvalidParameterError, match="confidence_level must be in"):
        fastmi.mi_ci(x, x, confidence_level=95)
    with pytest.raises(InvalidParameterError, match="subsample must be in"):
        fastmi.mi_ci(x, x, subsample=1.0)
    with pytest.raises(InvalidParameterError, match="gives 2 per subsample"):
        fastmi.mi_ci(x, x, subsample=0.1)
