"""MRMR, JMI and CMIM against a slow, obvious greedy pass of fastmi.mi and fastmi.cmi
calls; the behaviours that tell them apart (copies, XOR); scikit-learn's estimator
checks, Pipeline and GridSearchCV; errors."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import fastmi

pytest.importorskip("sklearn")
from sklearn.feature_selection import SelectKBest, mutual_info_classif  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from fastmi.feature_selection import CMIM, JMI, MRMR  # noqa: E402


def reference_selection(X, y, count, criterion, conditional, cmim_by_cmi=False):
    """The greedy pass written out: every term a fresh fastmi.mi or ``conditional``
    call, every candidate scored from scratch at every step. MIQ as MRMR's docstring
    writes it: max(I(f;y), 0) / max(mean_j max(I(f;f_j), 0), 1/sqrt(n)). With
    ``cmim_by_cmi``, CMIM's I(f;y|f_j) is fastmi.cmi(f, y, f_j) itself."""
    n, p = X.shape
    relevance = [fastmi.mi(X[:, f], y) for f in range(p)]
    selected = [int(np.argmax(relevance))]
    scores = [relevance[selected[0]]]
    while len(selected) < count:
        best, best_score = None, -np.inf
        for f in range(p):
            if f in selected:
                continue
            mi = [fastmi.mi(X[:, f], X[:, j]) for j in selected]
            if criterion == "mid":
                score = relevance[f] - np.mean(mi)
            elif criterion == "miq":
                redundancy = np.mean([max(m, 0.0) for m in mi])
                score = max(relevance[f], 0.0) / max(redundancy, 1 / np.sqrt(n))
            elif criterion == "cmim" and cmim_by_cmi:
                score = min(fastmi.cmi(X[:, f], y, X[:, j]) for j in selected)
            else:
                given = [conditional(X[:, f], X[:, j], y) for j in selected]  # I(f;f_j|y)
                if criterion == "jmi":
                    score = relevance[f] - np.mean(np.subtract(mi, given))
                else:  # cmim: min_j I(f;y|f_j) = I(f;y) - I(f;f_j) + I(f;f_j|y)
                    score = min(relevance[f] - m + g for m, g in zip(mi, given))
            if score > best_score:
                best, best_score = f, score
        selected.append(best)
        scores.append(best_score)
    return selected, scores


def class_by_class(a, b, labels):
    return sum(np.mean(labels == c) * fastmi.mi(a[labels == c], b[labels == c]) for c in
               np.unique(labels))  # fmt: skip


SELECTORS = {
    "mid": lambda count: MRMR(count),
    "miq": lambda count: MRMR(count, scheme="miq"),
    "jmi": lambda count: JMI(count),
    "cmim": lambda count: CMIM(count),
}


def discrete_problem(rng, n=300, p=8):
    X = rng.integers(0, 3, size=(n, p))
    X[:, 1] = (X[:, 0] + (rng.random(n) < 0.2)) % 3
    y = (X[:, 0] + X[:, 2] + (rng.random(n) < 0.3)) % 3
    return X, y


def continuous_problem(rng, n=200, p=6):
    X = rng.normal(size=(n, p))
    X[:, 1] += X[:, 0]
    y = X[:, 0] + 0.6 * X[:, 3] + 0.5 * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("criterion", list(SELECTORS))
@pytest.mark.parametrize("problem", ["discrete", "continuous", "class labels"])
def test_selection_matches_the_slow_greedy_reference(rng, criterion, problem):
    if problem == "discrete":
        X, y = discrete_problem(rng)
        conditional = fastmi.cmi
    elif problem == "continuous":
        X, y = continuous_problem(rng)
        conditional = fastmi.cmi  # Frenzel-Pompe
    else:
        X, y = continuous_problem(rng)
        y = np.digitize(y, [-1.0, 0.5])  # three classes
        conditional = class_by_class
    selector = SELECTORS[criterion](4).fit(X, y)
    order, scores = reference_selection(
        X, y, 4, criterion, conditional, cmim_by_cmi=problem == "discrete"
    )
    assert selector.ranking_.tolist() == order
    assert_allclose(selector.scores_[order], scores, rtol=1e-10, atol=1e-14)
    assert np.isnan(np.delete(selector.scores_, order)).all()
    assert_array_equal(selector.relevance_, fastmi.mi_with_target(X, y))
    assert selector.get_support(indices=True).tolist() == sorted(order)


def test_mrmr_picks_one_feature_per_group_of_copies(rng):
    n = 400
    latent = rng.normal(size=(n, 3))
    copies = [latent[:, g] + 0.1 * rng.normal(size=n) for g in range(3) for _ in range(3)]
    X = np.column_stack(copies + [rng.normal(size=n) for _ in range(3)])  # group = j // 3
    y = (1.5 * latent[:, 0] + latent[:, 1] + 0.8 * latent[:, 2] > 0).astype(int)
    groups = lambda picked: sorted(int(j) // 3 for j in picked)  # noqa: E731
    mrmr = MRMR(3).fit(X, y).get_support(indices=True)
    kbest = SelectKBest(mutual_info_classif, k=3).fit(X, y).get_support(indices=True)
    assert groups(mrmr) == [0, 1, 2]
    assert len(set(groups(kbest))) < 3  # univariate ranking takes copies


def test_jmi_and_cmim_find_the_xor_pair_that_univariate_ranking_misses(rng):
    n = 2000
    a, b = rng.integers(0, 2, n), (rng.random(n) < 0.8).astype(int)
    y = a ^ b  # b alone says nothing about y
    decoy = y ^ (rng.random(n) < 0.3)
    X = np.column_stack([a, b, decoy, rng.integers(0, 2, (n, 3))])
    assert fastmi.mi(b, y) < 0.01
    kbest = SelectKBest(mutual_info_classif, k=2).fit(X, y).get_support(indices=True)
    assert kbest.tolist() == [0, 2]
    assert MRMR(2).fit(X, y).ranking_.tolist() == [0, 2]
    assert JMI(2).fit(X, y).ranking_.tolist() == [0, 1]
    assert CMIM(2).fit(X, y).ranking_.tolist() == [0, 1]


def test_mixed_dataframe_names_threads_and_transform(rng):
    n = 300
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=n),
            "count": rng.integers(0, 4, n),
            "colour": np.array(["red", "green", "blue"])[rng.integers(0, 3, n)],
            "noise": rng.normal(size=n),
        }
    )
    y = np.where((frame["size"] > 0) ^ (frame["colour"] == "red"), "yes", "no")
    one = JMI(2, n_jobs=1).fit(frame, y)
    two = JMI(2, n_jobs=2).fit(frame, y)
    assert_array_equal(one.scores_, two.scores_, strict=True)
    assert list(one.feature_names_in_) == list(frame.columns)
    assert set(one.get_feature_names_out()) == {"size", "colour"}
    out = one.set_output(transform="pandas").transform(frame)
    assert list(out.columns) == list(one.get_feature_names_out())
    assert out["colour"].tolist() == frame["colour"].tolist()  # the strings pass through


def test_miq_on_continuous_data_ranks_relevance_not_noise():
    # a slightly negative kNN redundancy once made relevance / 1e-12 of a noise
    # feature beat the relevant ones: MIQ picked [0 1 22 6 5]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 23))
    y = X[:, 0] + 0.8 * X[:, 1] + 0.6 * X[:, 2] + rng.normal(size=1000)
    miq = MRMR(5, scheme="miq").fit(X, y)
    assert miq.ranking_[:3].tolist() == [0, 1, 2]
    assert MRMR(5).fit(X, y).ranking_[:3].tolist() == [0, 1, 2]
    tiny = MRMR(3, scheme="miq", miq_floor=1e-12).fit(X, y)  # a floor below the noise
    assert tiny.scores_[tiny.ranking_[1]] > 1e3  # ratios, not nats


def test_defaults_fraction_seeds_and_progress(rng, capsys):
    X, y = continuous_problem(rng, n=150, p=6)
    assert MRMR().fit(X, y).n_features_to_select_ == 3  # None: half of them
    fraction = MRMR(0.34).fit(X, y)
    assert fraction.n_features_to_select_ == 2 and fraction.ranking_.shape == (2,)
    assert MRMR(0.1).fit(X, y).n_features_to_select_ == 1  # at least one
    first = MRMR(2, random_state=None).fit(X, y).ranking_.tolist()
    assert first[0] == int(np.argmax(fastmi.mi_with_target(X, y)))
    by_int = JMI(3, random_state=7).fit(X, y)
    for state in [np.random.RandomState(1), np.random.default_rng(1)]:
        fitted = JMI(3, random_state=state).fit(X, y)
        assert fitted.ranking_.tolist() == by_int.ranking_.tolist()
        assert_allclose(fitted.scores_, by_int.scores_, atol=1e-6)  # jitter: 1e-10
    CMIM(3, progress=True).fit(X, y)
    assert "" in capsys.readouterr().err  # a bar (tqdm) or nothing, and no crash


def test_pipeline_and_grid_search(rng):
    X, y = continuous_problem(rng, n=200, p=6)
    labels = (X[:, 3] - X[:, 5] > 0).astype(int)  # features 3 and 5 only
    pipeline = Pipeline([("select", MRMR()), ("model", LogisticRegression())])
    search = GridSearchCV(pipeline, {"select__n_features_to_select": [1, 2]}, cv=2)
    search.fit(X, labels)
    assert search.best_params_["select__n_features_to_select"] == 2
    selected = search.best_estimator_.named_steps["select"].get_support(indices=True)
    assert selected.tolist() == [3, 5]
    assert search.score(X, labels) > 0.9


@pytest.mark.parametrize(
    "selector, y_change, message",
    [
        (
            MRMR(0),
            None,
            r"n_features_to_select must be None, an int from 1 to the number of "
            r"features \(4\), or a float in \(0, 1\]; got 0\.",
        ),
        (MRMR(5), None, r"int from 1 to the number of features \(4\), .*; got 5\."),
        (MRMR(1.5), None, r"or a float in \(0, 1\]; got 1\.5\."),
        (MRMR(True), None, r"n_features_to_select must be None, .*; got True\."),
        (MRMR("all"), None, r"n_features_to_select must be None, .*; got 'all'\."),
        (MRMR(scheme="mean"), None, r"scheme must be one of 'mid', 'miq'; got 'mean'\."),
        (
            MRMR(scheme="miq", miq_floor=0),
            None,
            r"miq_floor must be 'auto' \(1/sqrt\(n_samples\) nats, the noise level of MI "
            r"estimates\) or a real number > 0 in nats; got 0\.",
        ),
        (JMI(method="kde"), None, r"method must be one of 'auto', .*; got 'kde'"),
        (CMIM(n_jobs=0), None, r"n_jobs must be a positive int, -1 or None; got 0\."),
        (MRMR(k=0), None, r"k must be >= 1; got 0\."),
        (MRMR(), "short", r"inconsistent numbers of samples: \[60, 59\]"),
        (
            JMI(),
            "float",
            r"no estimator of conditional MI for X\[:, 0\] \(discrete\) and X\[:, 1\] "
            r"\(discrete\) given a continuous y\. If y holds class labels, pass them as "
            r"int, str or categorical .*; otherwise pass method='hist'",
        ),
        (
            JMI(method="ksg2"),
            None,
            r"method='ksg2' does not estimate conditional MI; use .*'ksg'",
        ),
    ],
)
def test_errors_name_the_parameter_and_the_fix(rng, selector, y_change, message):
    X = rng.integers(0, 3, size=(60, 4))
    if selector.method == "ksg2":
        X = rng.normal(size=(60, 4))
    y = rng.integers(0, 2, 60)
    if y_change == "short":
        y = y[:-1]
    elif y_change == "float":
        y = rng.normal(size=60)
    with pytest.raises(ValueError, match=message):
        selector.fit(X, y)


def test_import_fastmi_leaves_sklearn_alone_and_says_how_to_get_it():
    code = (
        "import sys\n"
        "import fastmi\n"
        "assert 'sklearn' not in sys.modules\n"
        "sys.modules['sklearn'] = None\n"
        "try:\n"
        "    fastmi.feature_selection\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "pip install scikit-learn" in result.stdout


def test_no_conditional_form_fails_before_any_work(rng, monkeypatch):
    from fastmi.feature_selection._columns import SelectionColumns

    def relevance(self):
        raise AssertionError("relevance computed before the method was checked")

    monkeypatch.setattr(SelectionColumns, "relevance", relevance)
    X, y = continuous_problem(rng, n=60, p=4)
    with pytest.raises(fastmi.InvalidParameterError, match=r"method='ksg2' does not"):
        CMIM(2, method="ksg2").fit(X, y)


def test_strings_in_an_object_array_say_to_pass_a_dataframe(rng):
    X = np.array([["red", 1.0], ["blue", 2.0]] * 20, dtype=object)
    with pytest.raises(
        fastmi.InvalidParameterError,
        match=r"X holds strings in a NumPy array of objects, which scikit-learn makes "
        r"numeric \(.*\)\. Pass a pandas DataFrame with named columns",
    ):
        MRMR(1).fit(X, np.arange(40) % 2)


@pytest.mark.filterwarnings("ignore::fastmi.TiesWarning")  # the checks' data are tied
@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # and tiny
@parametrize_with_checks([MRMR(), MRMR(scheme="miq"), JMI(), CMIM()])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
