"""Tiles, out= on disk and resume=True, with the thread backend."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import fastmi
from fastmi import InvalidParameterError
from fastmi.pairwise import _engine, _output
from fastmi.pairwise._tiles import Tiling, auto_tile_size, n_tiles

from .conftest import Interrupted, counting_writes, mixed_frame


@pytest.mark.parametrize(
    "rows, cols, square, size", [(7, 7, True, 3), (5, 4, False, 2), (1, 1, True, 4)]
)
def test_tiles_cover_every_pair_once(rows, cols, square, size):
    tiling = Tiling(rows, cols, square, size)
    seen = []
    for tile in tiling.tiles():
        a, b, row, col = tiling.pairs(tile)
        r0, _, c0, _ = tiling.bounds(tile)
        assert_array_equal(a, row + r0)
        assert len(a) == tiling.n_pairs(tile)
        seen += list(zip(a.tolist(), b.tolist()))
    offset = 0 if square else rows
    expected = [(i, j + offset) for i in range(rows) for j in range(cols) if not square or i < j]
    assert sorted(seen) == expected
    assert len(tiling.tiles()) == n_tiles(rows, cols, square, size)


def test_auto_tile_size():
    assert auto_tile_size(400, 400, True) == 32  # 91 tiles of at most 1024 pairs
    assert n_tiles(400, 400, True, 32) >= 64
    assert auto_tile_size(100, 1, False) == 1024  # one target: a single tile
    assert auto_tile_size(100_000, 100_000, True) == 1024


@pytest.mark.parametrize("tile_size", [1, 2, 5, 64])
def test_any_tile_size_gives_the_same_matrix(rng, tile_size):
    frame = mixed_frame(rng, n=400, p=9)
    assert_array_equal(
        fastmi.pairwise_mi(frame, tile_size=tile_size).to_numpy(),
        fastmi.pairwise_mi(frame).to_numpy(),
    )


@pytest.mark.parametrize("suffix", [".npy", ".zarr"])
@pytest.mark.parametrize("options", [{}, {"normalize": "corr", "dtype": np.float32}])
def test_out_on_disk_equals_the_matrix_in_memory(rng, tmp_path, suffix, options):
    X = rng.normal(size=(300, 11))
    X[:, 3] += X[:, 2]
    expected = fastmi.pairwise_mi(X, **options)
    path = tmp_path / f"mi{suffix}"
    stored = fastmi.pairwise_mi(X, out=path, tile_size=4, **options)
    assert_array_equal(np.asarray(stored[:]), expected)
    assert stored.dtype == expected.dtype
    header, done, _ = _output.read_log(path)
    assert done == set(Tiling(11, 11, True, 4).tiles())
    assert header["tile_size"] == 4


def test_zarr_output_keeps_labels_and_cross_shape(rng, tmp_path):
    frame = mixed_frame(rng, n=400, p=9)
    other = frame[["c0", "d1"]].rename(columns={"c0": "y0", "d1": "y1"})
    stored = fastmi.pairwise_mi(frame, other, out=tmp_path / "cross.zarr", tile_size=3)
    expected = fastmi.pairwise_mi(frame, other)
    assert_array_equal(stored[:], expected.to_numpy())
    assert stored.attrs["rows"] == list(frame.columns)
    assert stored.attrs["columns"] == ["y0", "y1"]


def test_resume_computes_only_the_missing_tiles(rng, tmp_path, monkeypatch):
    X = rng.integers(0, 4, size=(500, 20))
    path = tmp_path / "mi.npy"
    total = n_tiles(20, 20, True, 4)  # 15
    with monkeypatch.context() as patch:
        first = counting_writes(patch, stop_after=6)
        with pytest.raises(Interrupted):
            fastmi.pairwise_mi(X, out=path, tile_size=4)
    assert len(first) == 6
    computed = []
    original = _engine.compute_tile
    monkeypatch.setattr(
        _engine, "compute_tile", lambda job, t: computed.append(t) or original(job, t)
    )
    result = fastmi.pairwise_mi(X, out=path, resume=True)  # the tile size comes from the log
    assert len(computed) == total - 6
    assert set(computed).isdisjoint(first)
    assert_array_equal(result, fastmi.pairwise_mi(X))
    computed.clear()
    fastmi.pairwise_mi(X, out=path, resume=True)  # finished: nothing left to do
    assert computed == []


def test_a_torn_log_line_is_not_a_finished_tile(rng, tmp_path, monkeypatch):
    X = rng.integers(0, 3, size=(200, 6))
    path = tmp_path / "mi.zarr"
    fastmi.pairwise_mi(X, out=path, tile_size=2)
    log = _output.log_path(path)
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:3]) + "\n" + lines[3][:-1])  # 2 tiles, then a torn id
    assert _output.read_log(path)[1] == {int(lines[1]), int(lines[2])}
    with monkeypatch.context() as patch:  # resumed, and interrupted again
        counting_writes(patch, stop_after=1)
        with pytest.raises(Interrupted):
            fastmi.pairwise_mi(X, out=path, resume=True)
    done = _output.read_log(path)[1]  # the torn line was cut, not glued to the next id
    assert len(done) == 3 and done <= set(Tiling(6, 6, True, 2).tiles())
    assert_array_equal(fastmi.pairwise_mi(X, out=path, resume=True)[:], fastmi.pairwise_mi(X))


def test_a_log_line_that_is_not_a_tile_is_an_error(rng, tmp_path):
    X = rng.integers(0, 3, size=(200, 6))
    path = tmp_path / "mi.npy"
    fastmi.pairwise_mi(X, out=path, tile_size=2)
    with open(_output.log_path(path), "a") as log:
        log.write("x7\n")
    with pytest.raises(InvalidParameterError, match="not a fastmi tile log"):
        fastmi.pairwise_mi(X, out=path, resume=True)


KILLED_RUN = """
import sys
import numpy as np
import fastmi
rng = np.random.default_rng(1)
X = rng.normal(size=(8000, 30))
fastmi.pairwise_mi(X, out=sys.argv[1], tile_size=2, n_jobs=1)
"""


def test_a_killed_run_restarts_where_it_stopped(rng, tmp_path, monkeypatch):
    """A real process killed mid-run (SIGKILL, no clean-up), then resumed."""
    path = tmp_path / "mi.npy"
    log = _output.log_path(path)
    run = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KILLED_RUN), str(path)])
    total = n_tiles(30, 30, True, 2)  # 120 tiles of about 10 ms
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if log.exists() and log.read_text().count("\n") > 1 + 10:  # header + 10 tiles
            break
        time.sleep(0.01)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    finished = _output.read_log(path)[1]
    assert 10 <= len(finished) < total, "the run must be killed part-way"
    computed = []
    original = _engine.compute_tile
    monkeypatch.setattr(
        _engine, "compute_tile", lambda job, t: computed.append(t) or original(job, t)
    )
    X = np.random.default_rng(1).normal(size=(8000, 30))
    result = fastmi.pairwise_mi(X, out=path, resume=True, n_jobs=1)
    assert len(computed) == total - len(finished)
    assert_array_equal(result, fastmi.pairwise_mi(X))


def test_out_errors(rng, tmp_path):
    X = rng.integers(0, 3, size=(100, 4))
    path = tmp_path / "mi.npy"
    fastmi.pairwise_mi(X, out=path)
    with pytest.raises(FileExistsError, match="resume=True"):
        fastmi.pairwise_mi(X, out=path)
    with pytest.raises(InvalidParameterError, match="different job"):
        fastmi.pairwise_mi(X[:, ::-1], out=path, resume=True)
    with pytest.raises(InvalidParameterError, match="different job"):
        fastmi.pairwise_mi(X, out=path, resume=True, base=2)
    with pytest.raises(InvalidParameterError, match="another dtype"):
        fastmi.pairwise_mi(X, out=path, resume=True, dtype=np.float32)
    with pytest.raises(InvalidParameterError, match="tile_size="):
        fastmi.pairwise_mi(X, out=path, resume=True, tile_size=3)
    with pytest.raises(InvalidParameterError, match=r"\.zarr.*\.npy"):
        fastmi.pairwise_mi(X, out=tmp_path / "mi.csv")
    with pytest.raises(InvalidParameterError, match="does not exist"):
        fastmi.pairwise_mi(X, out=tmp_path / "missing" / "mi.npy")
    with pytest.raises(InvalidParameterError, match="pass out="):
        fastmi.pairwise_mi(X, resume=True)
    with pytest.raises(InvalidParameterError, match="tile_size"):
        fastmi.pairwise_mi(X, tile_size=0)
    with pytest.raises(InvalidParameterError, match="backend"):
        fastmi.pairwise_mi(X, backend="spark")
    with pytest.raises(InvalidParameterError, match="backend='dask'"):
        fastmi.pairwise_mi(X, client=object())
    _output.log_path(path).unlink()
    with pytest.raises(InvalidParameterError, match="tile log"):
        fastmi.pairwise_mi(X, out=path, resume=True)


def test_resume_without_an_earlier_run_starts_from_scratch(rng, tmp_path):
    X = rng.integers(0, 3, size=(100, 4))
    result = fastmi.pairwise_mi(X, out=tmp_path / "mi.npy", resume=True)
    assert_array_equal(result, fastmi.pairwise_mi(X))
