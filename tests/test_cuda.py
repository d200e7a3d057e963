"""backend="cuda" against the thread backend, on Numba's CUDA simulator in CI.

The root conftest sets NUMBA_ENABLE_CUDASIM=1 unless it is set already, so these
tests run the device kernels in Python; with NUMBA_ENABLE_CUDASIM=0 on a machine with
a GPU and numba-cuda (bench/gpu_check.sh) they run on the device. The simulator runs
every GPU thread as a Python thread: the data stay tiny (tens of samples, a few
columns). The contract is the CPU's value to 1e-12 relative (DESIGN.md, semantics 1),
with no absolute tolerance: the kernels sum in the CPU's order, so near-zero values
agree too. Run to run, the values are identical.
"""

import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import fastmi
from fastmi import InvalidParameterError

N = 48


def cuda_and_threads(function, *args, **kwargs):
    """The result of ``function`` with backend="cuda" and with the thread backend;
    both warn alike (the saturated tables the device flags are the CPU's)."""
    with warnings.catch_warnings(record=True) as on_cuda_warned:
        warnings.simplefilter("always")
        on_cuda = function(*args, backend="cuda", **kwargs)
    with warnings.catch_warnings(record=True) as on_threads_warned:
        warnings.simplefilter("always")
        on_threads = function(*args, **kwargs)
    assert [str(w.message) for w in on_cuda_warned] == [str(w.message) for w in on_threads_warned]
    return on_cuda, on_threads


def assert_same(on_cuda, on_threads):
    assert_allclose(np.asarray(on_cuda), np.asarray(on_threads), rtol=1e-12, atol=0)


def discrete_table(rng, n=N):
    """Columns of 2 to 100 levels: tables in shared memory and, for the two widest
    columns (more cells than the dense limit of 4096), the sparse count."""
    a = rng.integers(0, 3, n)
    return np.column_stack(
        [a, (a + rng.integers(0, 2, n)) % 4, rng.integers(0, 100, n), rng.integers(0, 90, n),
         rng.integers(0, 2, n)]
    )  # fmt: skip


def continuous_table(rng, n=N, p=4):
    X = rng.normal(size=(n, p))
    X[:, 1] += X[:, 0]
    X[:, 3] = X[:, 2] ** 3  # a monotone copy: gcmi's infinite MI
    return X


def test_import_leaves_numba_cuda_out():
    check = "import sys, fastmi; print('numba.cuda' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("correction", [None, "miller-madow"])
def test_discrete_equals_threads(rng, correction):
    X = discrete_table(rng)
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method="discrete", correction=correction))


@pytest.mark.parametrize("method", ["discrete", "gcmi"])
def test_degenerate_columns(rng, method):
    """A constant column, a copy (the pair's orientation compares every sample) and a
    relabelled copy: the CPU's values, warnings included."""
    a = rng.integers(0, 3, N)
    X = np.column_stack([a, np.zeros(N, dtype=np.int64), a, 2 - a, rng.integers(0, 5, N)])
    if method == "gcmi":
        X = X + 0.25 * rng.random((N, 5)) * (np.arange(5) == 4)  # one continuous column
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method=method))


def test_tables_in_global_scratch(rng, monkeypatch):
    """Tables too large for shared memory are counted in global scratch: with the
    shared limit at 4 cells, every pair but the binary one goes there."""
    from fastmi.cuda import _tables

    monkeypatch.setattr(_tables, "SHARED_LIMIT", 4)
    X = discrete_table(rng)
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method="discrete"))


@pytest.mark.parametrize("binning", ["uniform", "quantile"])
def test_hist_equals_threads(rng, binning):
    X = continuous_table(rng)
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method="hist", bins=5, binning=binning))


@pytest.mark.parametrize("correction", [None, "gaussian"])
def test_gcmi_equals_threads(rng, correction):
    X = continuous_table(rng, n=N + 3)  # n % 8 != 0: the CPU's tail products too
    X[:, 0] = 1.0  # a constant column: MI 0
    on_cuda, on_threads = cuda_and_threads(
        fastmi.pairwise_mi, X, method="gcmi", correction=correction
    )
    assert np.isinf(on_cuda[2, 3])  # x2 and x2**3: a perfect monotone relation
    assert_same(on_cuda, on_threads)


def test_mixed_table_of_device_kinds(rng):
    """A DataFrame of both kinds, with estimators the GPU runs without kNN."""
    frame = pd.DataFrame(continuous_table(rng)[:, :3], columns=["c0", "c1", "c2"])
    frame["d0"] = rng.integers(0, 3, N)
    frame["d1"] = (frame["d0"] + rng.integers(0, 2, N)) % 3
    method = {"continuous": "gcmi", "mixed": "hist", "discrete": "discrete"}
    on_cuda, on_threads = cuda_and_threads(fastmi.pairwise_mi, frame, method=method, bins=4)
    assert list(on_cuda.columns) == list(frame.columns)
    assert_same(on_cuda, on_threads)


def test_mixed_table_with_knn(rng):
    """method="auto" on a mixed table: KSG, Ross and discrete pairs in one job."""
    pytest.importorskip("fastmi.cuda._knn")
    n = 24  # the simulator runs a kNN pair's queries as Python threads: keep it short
    frame = pd.DataFrame(continuous_table(rng, n=n)[:, :2], columns=["c0", "c1"])
    frame["d0"] = rng.integers(0, 3, n)
    frame["d1"] = (frame["d0"] + rng.integers(0, 2, n)) % 3
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, frame))


def test_cross_matrix(rng):
    X, Y = discrete_table(rng), discrete_table(rng)[:, :3]
    on_cuda, on_threads = cuda_and_threads(fastmi.pairwise_mi, X, Y, method="discrete")
    assert on_cuda.shape == (5, 3)
    assert_same(on_cuda, on_threads)


def test_tiles_and_float32(rng):
    """Several tiles (diagonal and off-diagonal) and a float32 result."""
    X = discrete_table(rng)
    on_cuda, on_threads = cuda_and_threads(
        fastmi.pairwise_mi, X, method="discrete", tile_size=2, dtype=np.float32
    )
    assert on_cuda.dtype == np.float32
    assert_array_equal(on_cuda, on_threads)


@pytest.mark.parametrize("normalize", ["corr", "arithmetic", "joint"])
def test_normalize(rng, normalize):
    X = discrete_table(rng)[:, :3]
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method="discrete", normalize=normalize))


def test_mi_with_target(rng):
    X = continuous_table(rng)[:, :3]
    y = X[:, 0] + rng.normal(size=N)
    assert_same(*cuda_and_threads(fastmi.mi_with_target, X, y, method="hist", bins=4))


def test_pairwise_test_with_permutations(rng):
    X = discrete_table(rng)[:, :3]
    on_cuda, on_threads = cuda_and_threads(
        fastmi.pairwise_test, X, method="discrete", null="permutation", n_permutations=3
    )
    assert_same(on_cuda.mi, on_threads.mi)
    assert_array_equal(on_cuda.pvalue, on_threads.pvalue)


def test_out_to_disk(rng, tmp_path):
    X = discrete_table(rng)[:, [0, 1, 4]]
    on_disk = fastmi.pairwise_mi(
        X, method="discrete", backend="cuda", out=tmp_path / "mi.npy", tile_size=2
    )
    assert_same(np.asarray(on_disk), fastmi.pairwise_mi(X, method="discrete"))


def test_deterministic_run_to_run(rng):
    X = continuous_table(rng)[:, :3]
    first = fastmi.pairwise_mi(X, method="gcmi", backend="cuda")
    assert_array_equal(fastmi.pairwise_mi(X, method="gcmi", backend="cuda"), first)
    X = discrete_table(rng)[:, :2]
    first = fastmi.pairwise_mi(X, method="discrete", backend="cuda")
    assert_array_equal(fastmi.pairwise_mi(X, method="discrete", backend="cuda"), first)


def test_estimator_without_device_part_is_refused_before_work(rng, tmp_path):
    X = continuous_table(rng)[:, :3]
    message = r"backend='cuda' has no device kernel for method='lnc'; the GPU runs method='disc"
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.pairwise_mi(X, method="lnc", backend="cuda", out=tmp_path / "mi.npy")
    assert not (tmp_path / "mi.npy").exists()
    with pytest.raises(InvalidParameterError, match=message) as refused:
        fastmi.plan(X, method="lnc", backend="cuda")
    assert "Use backend='threads' for this method." in str(refused.value)
    assert "dask" not in str(refused.value)  # mi_with_target has no dask backend
    # The method as typed, and the estimator it resolves to: Gao's for two continuous
    message = r"no device kernel for method='mixed' \(the 'gao' estimator\)"
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.mi_with_target(X[:, :2], X[:, 2], method="mixed", backend="cuda")


def test_mi_with_target_two_dimensional_target_is_refused(rng):
    """A 2-D target is one joint variable, estimated on the CPU: with backend='cuda'
    it is refused, not run on the CPU behind the user's back."""
    X = continuous_table(rng)
    with pytest.raises(InvalidParameterError, match=r"backend='cuda' takes a 1-D target"):
        fastmi.mi_with_target(X[:, :2], X[:, 2:], method="ksg", backend="cuda")


def test_plan_of_a_knn_job_leaves_numba_cuda_out():
    """Planning a KSG job checks k against the device search's limit without
    importing numba.cuda (fastmi.cuda._limits)."""
    check = (
        "import sys, numpy as np, fastmi; "
        "X = np.random.default_rng(0).normal(size=(50, 3)); "
        "fastmi.plan(X, method='ksg', backend='cuda'); "
        "print('numba.cuda' in sys.modules)"
    )
    environment = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=environment
    )
    assert result.stdout.strip() == "False", result.stderr
    with pytest.raises(InvalidParameterError, match=r"k=33 is above 32"):
        fastmi.plan(np.zeros((50, 3)) + np.arange(50)[:, None], k=33, backend="cuda")


def test_unsupported_correction_is_refused(rng):
    with pytest.raises(InvalidParameterError, match=r"correction='grassberger'"):
        fastmi.pairwise_mi(discrete_table(rng), correction="grassberger", backend="cuda")


def test_pairwise_cmi_has_no_cuda_backend(rng):
    X = discrete_table(rng)
    with pytest.raises(InvalidParameterError, match=r"backend must be one of"):
        fastmi.pairwise_cmi(X[:, :2], X[:, 2], backend="cuda")


def test_without_cuda_a_clear_error(rng, tmp_path, monkeypatch):
    from fastmi.cuda import _device

    monkeypatch.setattr(_device, "available", lambda: False)
    message = r"backend='cuda' needs an NVIDIA GPU and numba-cuda: pip install 'fastmi\[cuda\]'"
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.pairwise_mi(discrete_table(rng), backend="cuda", out=tmp_path / "mi.npy")
    assert not (tmp_path / "mi.npy").exists()


def test_plan_reports_device_memory(rng):
    X = discrete_table(rng)
    on_cuda = fastmi.plan(X, backend="cuda")
    assert fastmi.plan(X).device_memory is None
    assert on_cuda.device_memory > X.size * 8
    assert "GiB of GPU memory" in str(on_cuda)


def test_device_memory_guard(rng, monkeypatch):
    from fastmi.cuda import _device

    monkeypatch.setattr(_device, "free_memory", lambda: 2**20)
    message = r"backend='cuda' needs about 0\.1 GiB of GPU memory .* only 0\.0 GiB is free"
    with pytest.raises(MemoryError, match=message):
        fastmi.pairwise_mi(discrete_table(rng), backend="cuda")


def test_device_parts_hold_their_bytes(rng):
    from fastmi.cuda._parts import to_device
    from fastmi.estimators import REGISTRY
    from fastmi.estimators.discrete import TablePart

    columns = [(f"x{j}", column) for j, column in enumerate(discrete_table(rng).T)]
    opt = fastmi._options.estimation_options(method="discrete")
    part = REGISTRY["discrete"].part(range(5), columns, ["discrete"] * 5, opt, lambda v, w: True)
    assert isinstance(part, TablePart)
    assert to_device("discrete", part).nbytes >= part.codes.size * 4
    with pytest.raises(InvalidParameterError, match=r"no device kernel for method='lnc'"):
        to_device("lnc", part)


def test_plan_knows_the_kernels_scratch():
    """The plan's scratch figures, written out so that a plan imports no numba.cuda,
    are the kernels' own."""
    from fastmi.cuda import _parts, _tables

    assert _parts.SCRATCH_BYTES["discrete"] == _tables.SCRATCH_BYTES
    knn = pytest.importorskip("fastmi.cuda._knn")
    assert {_parts.SCRATCH_BYTES[name] for name in _parts.KNN_NAMES} == {knn.BATCH_BYTES}


def test_gcmi_rows_beyond_the_grid_y_limit(rng, monkeypatch):
    """A tile with more blocks of rows than CUDA's grid-y limit runs in chunks of
    rows: with the limit at one block, a chunk per TILE rows, the same values."""
    from fastmi.cuda import _gcmi

    monkeypatch.setattr(_gcmi, "MAX_GRID_Y", 1)
    X = rng.normal(size=(20, 11))
    X[:, 1] += X[:, 0]
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, X[:, :2], method="gcmi"))
    assert_same(*cuda_and_threads(fastmi.pairwise_mi, X, method="gcmi", tile_size=6))


def wide_discrete_part(rng, n=N):
    """The CPU table part of columns of 70 to 100 levels: every pair's table is
    beyond the dense limit (sparse), but for the two small columns' pairs."""
    from fastmi.estimators import REGISTRY

    levels = [100, 90, 80, 70, 3, 2]
    columns = [(f"x{j}", rng.integers(0, m, n)) for j, m in enumerate(levels)]
    opt = fastmi._options.estimation_options(method="discrete")
    p = len(columns)
    return REGISTRY["discrete"].part(range(p), columns, ["discrete"] * p, opt, lambda v, w: True)


def test_table_scratch_is_held_once_and_left_zero(rng, monkeypatch):
    """The tables' scratch: one buffer per part, within the budget (which sets how
    many rows, so threads, the sparse kernel runs), reused from call to call; the
    sparse kernel leaves it zero, and a global-scratch launch's counts are cleared on
    the device before a sparse launch uses it."""
    from fastmi.cuda import _tables
    from fastmi.cuda._parts import to_device

    part = wide_discrete_part(rng)
    a, b = np.triu_indices(6, 1)
    expected = np.empty(len(a))
    part(a, b, expected)
    monkeypatch.setattr(_tables, "SCRATCH_BYTES", 4 * 100 * 3)  # 3 rows of 100 counts
    monkeypatch.setattr(_tables, "SHARED_LIMIT", 4)  # 3 x 2 levels: global scratch
    device = to_device("discrete", part)
    for _ in range(2):
        found = np.full(len(a), -1.0)
        device(a, b, found)
        assert_array_equal(found, expected)
        assert device.scratch.nbytes <= _tables.SCRATCH_BYTES
        assert device.dirty == 0 and not device.scratch.copy_to_host().any()
    held = device.scratch
    device(a[:3], b[:3], found[:3])  # sparse pairs only: the same buffer
    assert device.scratch is held
