"""One estimator, one path: ``fastmi.mi`` runs the preparation and the pair function
that a tile of ``pairwise_mi`` runs, so the matrix is the loop of ``mi`` calls bit for
bit, for every method, on ordinary and on degenerate data."""

import os
import signal
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError
from fastmi.estimators import AUTO, CORRECTIONS, METHODS, REGISTRY, resolve

N_SMALL, N_LARGE = 25, 700  # brute force, then the fast strategies


def pairs_of(rng, n):
    """(name, x, y): ordinary data, and the degenerate cases where paths used to split."""
    x = rng.normal(size=n)
    u = rng.uniform(size=n)
    a = rng.integers(0, 50, n).astype(float)
    return [
        ("dependent", x, x + rng.normal(size=n)),
        ("independent", x, rng.normal(size=n)),
        ("monotone copy", u, np.exp(3 * u)),
        ("complement", u, 1 - u),
        ("affine copy", a, 2 * a + 1),
        ("perfect copy", x, x.copy()),
        ("constant", x, np.full(n, 7.5)),
        ("both constant", np.full(n, -1.0), np.full(n, 7.5)),
        ("heavy ties", np.round(x), np.round(x) + np.round(rng.normal(size=n))),
    ]


def same(a, b) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def outcome(function, *args, cell=None, **options):
    """The value (``cell`` of a matrix), or the type and message of the error raised."""
    with warnings.catch_warnings():  # ties, saturation, perfect dependence: tested elsewhere
        warnings.simplefilter("ignore", UserWarning)
        try:
            value = function(*args, **options)
            return float(value if cell is None else value[cell])
        except InvalidParameterError as error:
            return (type(error), str(error).split(";")[0])


def assert_same(single, matrix):
    if isinstance(single, tuple) or isinstance(matrix, tuple):
        assert single == matrix
    else:
        assert same(single, matrix), (single, matrix)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("n", [N_SMALL, N_LARGE])
def test_matrix_is_the_loop_of_mi_bitwise(rng, method, n):
    for name, x, y in pairs_of(rng, n):
        single = outcome(fastmi.mi, x, y, method=method)
        both = np.column_stack([x, y])
        square = outcome(fastmi.pairwise_mi, both, method=method, cell=(0, 1))
        cross = outcome(fastmi.pairwise_mi, x[:, None], y[:, None], method=method, cell=(0, 0))
        assert_same(single, square)
        assert_same(single, cross)
        mirrored = outcome(fastmi.mi, y, x, method=method)
        assert_same(mirrored, single)  # symmetric bit for bit: both triangles are the loop
        if name in ("dependent", "independent", "constant"):
            assert isinstance(single, float) and np.isfinite(single), (name, single)


@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # discrete on floats
@pytest.mark.parametrize("method", ["auto", "mixed", "discrete", "hist", "gcmi"])
def test_mixed_kinds_keep_their_path(rng, method):
    """Integer labels against floats (Ross under auto and mixed), in a DataFrame and
    as a cross matrix."""
    labels = rng.integers(0, 4, N_LARGE)
    c = labels + rng.normal(size=N_LARGE)
    frame = pd.DataFrame({"d": labels, "c": c, "k": np.full(N_LARGE, 3)})
    matrix = fastmi.pairwise_mi(frame, method=method)
    for a, b in [("d", "c"), ("c", "d"), ("k", "c"), ("d", "k")]:
        assert_same(float(fastmi.mi(frame[a], frame[b], method=method)), matrix.loc[a, b])
    cross = fastmi.pairwise_mi(labels[:, None], Y=c[:, None], method=method)
    assert_same(fastmi.mi(labels, c, method=method), cross[0, 0])
    assert_same(
        fastmi.mi_with_target(frame[["c"]], frame["d"], method=method).iloc[0],
        fastmi.mi(frame["c"], frame["d"], method=method),
    )


@pytest.mark.parametrize(
    "options",
    [
        {"clip": True},
        {"base": 2},
        {"normalize": "corr"},
        {"normalize": "geometric", "method": "hist"},
        {"normalize": "joint", "method": "discrete"},
        {"correction": "miller-madow", "method": "hist"},
        {"correction": "gaussian", "method": "gcmi"},
        {"method": "ksg2", "k": 5},
    ],
)
@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # discrete on floats
def test_options_finish_the_same_way(rng, options):
    X = rng.normal(size=(400, 3))
    X[:, 1] += X[:, 0]
    matrix = fastmi.pairwise_mi(X, **options)
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        assert_same(fastmi.mi(X[:, i], X[:, j], **options), matrix[i, j])
    if REGISTRY[options.get("method", "ksg")].table and "normalize" not in options:
        assert_same(fastmi.mi(X[:, 0], X[:, 0], **options), matrix[0, 0])


def test_registry_is_the_one_table_of_names():
    assert METHODS == ("auto", "discrete", "hist", "ksg", "ksg2", "lnc", "mixed", "gcmi")
    assert {row.method for row in REGISTRY.values()} == set(METHODS) - {"auto"}
    assert CORRECTIONS == {
        None: METHODS[1:],
        "miller-madow": ("discrete", "hist"),
        "grassberger": ("discrete", "hist"),
        "chao-shen": ("discrete", "hist"),
        "shrinkage": ("discrete", "hist"),
        "gaussian": ("gcmi",),
    }
    assert {resolve("auto", *kinds).method for kinds in AUTO} == {"discrete", "ksg", "mixed"}
    assert resolve("mixed", "discrete", "continuous").name == "ross"
    assert resolve("mixed", "continuous", "continuous").name == "gao"
    for row in REGISTRY.values():
        assert row.cost_per_sample > 0
        assert row.table == (row.name in ("discrete", "hist"))


@pytest.mark.filterwarnings("ignore::fastmi.SaturationWarning")  # discrete on floats
@pytest.mark.parametrize("method", METHODS[1:])
def test_entropy_and_cmi_follow_the_registry_rows(rng, method):
    x = rng.normal(size=200)
    y = x + rng.normal(size=200)
    row = resolve(method, "continuous", "continuous")
    for function, args, supported in [
        (fastmi.entropy, (x,), row.entropy is not None),
        (fastmi.cmi, (x, y, rng.normal(size=200)), row.cmi is not None),
    ]:
        if supported:
            assert np.isfinite(function(*args, method=method))
        else:
            with pytest.raises(InvalidParameterError, match=rf"method={method!r}"):
                function(*args, method=method)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_child_gets_its_own_pair_threads(rng):
    """The pair thread pool's threads do not survive a fork: a child that inherits a
    started pool computes with a new one instead of waiting forever."""
    X = rng.normal(size=(300, 6))
    expected = fastmi.pairwise_mi(X, n_jobs=2)  # starts the pool here
    read, write = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
        pid = os.fork()
    if pid == 0:  # the child: compute, report, exit without running pytest's atexit
        try:
            ok = np.array_equal(fastmi.pairwise_mi(X, n_jobs=2), expected, equal_nan=True)
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 120
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung: it waited on the parent's pool threads")
        time.sleep(0.05)
    assert os.read(read, 1) == b"1"


def test_an_error_in_one_chunk_stops_the_others():
    """A failing chunk (or Ctrl-C in the waiting thread) stops the workers from taking
    more chunks, and the error reaches the caller."""
    from fastmi import _threads

    ran = []

    def run(start, stop):
        ran.append(start)
        if start == 0:
            raise KeyError("boom")
        time.sleep(0.01)

    with pytest.raises(KeyError, match="boom"):
        _threads.over_chunks(1000, run, n_threads=2)
    assert len(ran) < _threads.CHUNKS_PER_THREAD * 2
