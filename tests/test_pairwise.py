"""The pairwise engine: matrices equal the loop of mi calls, for every method."""

import math

import numba
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import fastmi
from fastmi import InvalidParameterError
from fastmi.pairwise import _engine

from .conftest import JIT_DISABLED


def loop_of_mi(X, Y=None, **options):
    """The obvious reference: one mi call per pair; H(X_i) or NaN on the diagonal."""
    columns = [X[:, j] for j in range(X.shape[1])]
    others = columns if Y is None else [Y[:, j] for j in range(Y.shape[1])]
    out = np.empty((len(columns), len(others)))
    for i, a in enumerate(columns):
        for j, b in enumerate(others):
            if Y is None and i == j:
                continue
            out[i, j] = fastmi.mi(a, b, **options)
    return out


def continuous(rng, n=600, p=5):
    X = rng.normal(size=(n, p))
    X[:, 1] += X[:, 0]
    if p > 3:
        X[:, 3] = np.exp(X[:, 2]) + 0.3 * rng.normal(size=n)
    return X


def discrete(rng, n=600, p=5, levels=4):
    X = rng.integers(0, levels, size=(n, p))
    X[:, 1] = (X[:, 0] + rng.integers(0, 2, n)) % levels
    return X


@pytest.mark.parametrize(
    "method, make, options",
    [
        ("discrete", discrete, {}),
        ("discrete", discrete, {"correction": "miller-madow"}),
        ("hist", continuous, {"bins": 7, "binning": "quantile"}),
        ("ksg", continuous, {}),
        ("ksg2", continuous, {"k": 5}),
        ("gcmi", continuous, {}),
        ("gcmi", continuous, {"correction": "gaussian"}),
    ],
)
def test_matrix_equals_the_loop_of_mi(rng, method, make, options):
    X = make(rng)
    matrix = fastmi.pairwise_mi(X, method=method, **options)
    expected = loop_of_mi(X, method=method, **options)
    off = ~np.eye(X.shape[1], dtype=bool)
    assert_allclose(matrix[off], expected[off], rtol=1e-12, atol=1e-15)
    assert_array_equal(matrix, matrix.T)
    diagonal = np.diag(matrix)
    if method in ("discrete", "hist"):
        entropies = [fastmi.entropy(X[:, j], method=method, **options) for j in range(5)]
        assert_allclose(diagonal, entropies, rtol=1e-12)
    else:
        assert np.isnan(diagonal).all()


def test_cross_matrix_equals_the_loop_of_mi(rng):
    X, Y = continuous(rng, p=3), continuous(rng, p=4)
    Y[:, 0] += X[:, 1]
    for method in ["ksg", "gcmi"]:
        assert_allclose(
            fastmi.pairwise_mi(X, Y, method=method),
            loop_of_mi(X, Y, method=method),
            rtol=1e-12,
            atol=1e-15,
        )
    Xd, Yd = discrete(rng, p=3), discrete(rng, p=2)
    assert_allclose(fastmi.pairwise_mi(Xd, Yd), loop_of_mi(Xd, Yd), rtol=1e-12, atol=1e-15)


def test_mixed_kind_dataframe_picks_the_estimator_per_pair(rng):
    n = 500
    frame = pd.DataFrame(
        {
            "city": pd.Categorical(rng.choice(["oslo", "rome", "lima"], n)),
            "count": rng.integers(0, 5, n),
            "size": rng.normal(size=n),
            "word": rng.choice(["a", "b"], n),
        }
    )
    frame["score"] = frame["size"] + frame["count"] + rng.normal(size=n)
    matrix = fastmi.pairwise_mi(frame)
    assert list(matrix.index) == list(matrix.columns) == list(frame.columns)
    for a in frame.columns:
        for b in frame.columns:
            if a != b:
                assert matrix.loc[a, b] == pytest.approx(
                    fastmi.mi(frame[a], frame[b]), rel=1e-12, abs=1e-15
                )
    assert matrix.loc["count", "count"] == pytest.approx(fastmi.entropy(frame["count"]))
    assert np.isnan(matrix.loc["size", "size"])


def test_mixed_method_uses_gao_for_float_pairs(rng):
    n = 400
    b = (rng.random(n) < 0.5).astype(float)
    X = np.column_stack([b * rng.random(n), b, rng.normal(size=n)])
    matrix = fastmi.pairwise_mi(X, method="mixed")
    off = ~np.eye(3, dtype=bool)
    assert_allclose(matrix[off], loop_of_mi(X, method="mixed")[off], rtol=1e-12, atol=1e-15)
    assert np.isnan(np.diag(matrix)).all()


@pytest.mark.skipif(JIT_DISABLED, reason="threads need the JIT")
@pytest.mark.parametrize("method", ["discrete", "ksg", "mixed"])
@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # discrete on floats
def test_thread_count_does_not_change_the_matrix(rng, method):
    X = continuous(rng, n=800, p=6)
    if method != "ksg":
        X = np.column_stack([discrete(rng, n=800, p=3), X[:, :3]])
        X = pd.DataFrame(X).astype({0: int, 1: int, 2: int})
    matrices = [
        fastmi.pairwise_mi(X, method="auto" if method == "mixed" else method, n_jobs=threads)
        for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1)
    ]
    for other in matrices[1:]:
        assert_array_equal(np.asarray(other), np.asarray(matrices[0]))


def test_threads_are_restored_afterwards_also_on_error(rng):
    before = numba.get_num_threads()
    fastmi.pairwise_mi(continuous(rng, n=100, p=3), n_jobs=1)
    assert numba.get_num_threads() == before
    bad = continuous(rng, n=100, p=3)
    with pytest.raises(InvalidParameterError):
        fastmi.pairwise_mi(bad, n_jobs=1, k=200)
    assert numba.get_num_threads() == before


def test_mi_with_target_equals_per_column_mi(rng):
    X = continuous(rng)
    y = X[:, 0] - X[:, 3] + rng.normal(size=600)
    scores = fastmi.mi_with_target(X, y)
    assert_allclose(scores, [fastmi.mi(X[:, j], y) for j in range(5)], rtol=1e-12)
    frame = pd.DataFrame(X, columns=list("abcde"))
    series = fastmi.mi_with_target(frame, pd.Series(y, name="target"))
    assert list(series.index) == list("abcde") and series.name == "target"
    assert_allclose(series.to_numpy(), scores, rtol=1e-12)
    labels = (y > 0).astype(int)
    assert_allclose(
        fastmi.mi_with_target(X, labels), [fastmi.mi(X[:, j], labels) for j in range(5)], rtol=1e-12
    )


@pytest.mark.parametrize("normalize", ["corr", "arithmetic", "geometric", "min", "max", "joint"])
def test_normalised_matrix_equals_normalised_pairs(rng, normalize):
    X = discrete(rng)
    matrix = fastmi.pairwise_mi(X, normalize=normalize)
    off = ~np.eye(5, dtype=bool)
    assert_allclose(matrix[off], loop_of_mi(X, normalize=normalize)[off], rtol=1e-12, atol=1e-15)
    diagonal = [fastmi.mi(X[:, j], X[:, j], normalize=normalize) for j in range(5)]
    assert_allclose(np.diag(matrix), diagonal, rtol=1e-12)
    if normalize != "corr":
        assert_allclose(diagonal, 1.0)


def test_nmi_matches_sklearn(rng):
    from sklearn.metrics import normalized_mutual_info_score

    a, b = discrete(rng)[:, :2].T
    for method in ["arithmetic", "geometric", "min", "max"]:
        assert fastmi.mi(a, b, normalize=method) == pytest.approx(
            normalized_mutual_info_score(a, b, average_method=method), rel=1e-12
        )


def test_corr_normalisation_is_abs_rho_for_gaussians(rng):
    x = rng.normal(size=20_000)
    y = -0.8 * x + 0.6 * rng.normal(size=20_000)
    assert fastmi.mi(x, y, normalize="corr", method="gcmi") == pytest.approx(0.8, abs=0.01)


def test_float32_output_and_base(rng):
    X = discrete(rng)
    m64 = fastmi.pairwise_mi(X, base=2)
    m32 = fastmi.pairwise_mi(X, base=2, dtype=np.float32)
    assert m32.dtype == np.float32
    assert_allclose(m32, m64, rtol=1e-6)
    assert_allclose(m64 * math.log(2), fastmi.pairwise_mi(X), rtol=1e-14)


def test_memory_guard_refuses_with_the_ways_out(rng, monkeypatch):
    monkeypatch.setattr(_engine, "available_memory", lambda: 10_000)
    with pytest.raises(
        MemoryError,
        match=r"pairwise_mi needs about .* GiB for a 5 x 5 matrix "
        r"of float64 .* dtype=np\.float32 .* Y= .* out='mi.zarr'.*backend='dask'",
    ):
        fastmi.pairwise_mi(continuous(rng))


def test_progress_bar_on_request_and_silence_by_default(rng, capsys):
    X = discrete(rng)
    fastmi.pairwise_mi(X, progress=True)
    assert "100%" in capsys.readouterr().err
    fastmi.pairwise_mi(X)
    fastmi.pairwise_mi(X, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_default_depends_on_the_estimated_time(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert _engine.show_progress(None, 60.0)
    assert not _engine.show_progress(None, 1.0)
    assert not _engine.show_progress(False, 60.0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda X: fastmi.pairwise_mi(X[:, 0]), r"X must be 2-D \(n_samples, n_variables\)"),
        (lambda X: fastmi.pairwise_mi(X, X[:10]), r"all variables must have the same number"),
        (
            lambda X: fastmi.pairwise_mi(X, n_jobs=0),
            r"n_jobs must be a positive int, -1 or "
            r"None; got 0\.",
        ),
        (
            lambda X: fastmi.pairwise_mi(X, progress="yes"),
            r"progress must be None, True or "
            r"False; got 'yes'\.",
        ),
        (lambda X: fastmi.pairwise_mi(X, dtype=int), r"dtype must be a float dtype"),
        (
            lambda X: fastmi.pairwise_mi(X, normalize="min"),
            r"normalize='min' divides by "
            r"entropies",
        ),
        (
            lambda X: fastmi.pairwise_mi(X, correction="miller-madow"),
            r"correction='miller-madow' applies to method='discrete' or 'hist'; some pairs "
            r"here use 'ksg'",
        ),
        (lambda X: fastmi.mi_with_target(X, X[:10, :2]), r"same number of samples"),
    ],
)
def test_bad_input_is_reported(rng, call, message):
    with pytest.raises(InvalidParameterError, match=message):
        call(continuous(rng, n=50, p=3))


def test_nan_in_a_column_is_named(rng):
    X = continuous(rng, n=50, p=3)
    X[4, 2] = np.nan
    with pytest.raises(InvalidParameterError, match=r"X\[:, 2\] contains NaN or inf"):
        fastmi.pairwise_mi(X)
