"""The Dask backend against a real LocalCluster of 2 worker processes on loopback."""

import os
import signal
import sys

import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from numpy.testing import assert_array_equal

import fastmi
from fastmi import InvalidParameterError
from fastmi.pairwise._tiles import n_tiles

from .conftest import Interrupted, counting_writes, mixed_frame


@pytest.fixture(scope="module")
def client():
    """Two single-thread worker processes; not the default client, so that tests
    choose between client= and the current client explicitly."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def equal(a, b):
    assert_array_equal(np.asarray(a), np.asarray(b))  # NaNs in the same places


@pytest.mark.filterwarnings("ignore::fastmi.PerfectDependenceWarning")  # X against X
def test_dask_backend_is_bitwise_equal_to_threads(client, rng):
    frame = mixed_frame(rng)  # ksg, Ross and discrete pairs, and an H diagonal
    equal(
        fastmi.pairwise_mi(frame, backend="dask", client=client, tile_size=3),
        fastmi.pairwise_mi(frame, tile_size=3),
    )
    X = frame.to_numpy()[:, :6]
    for options in [{"method": "gcmi"}, {"normalize": "corr", "dtype": np.float32}]:
        equal(
            fastmi.pairwise_mi(X, X[:, :2], backend="dask", client=client, **options),
            fastmi.pairwise_mi(X, X[:, :2], **options),
        )


def test_pairwise_test_on_dask_equals_threads(client, rng):
    frame = mixed_frame(rng, n=120, p=3)  # permutation nulls (ksg, Ross), a G-test pair
    on_dask = fastmi.pairwise_test(frame, n_permutations=5, backend="dask", client=client)
    on_threads = fastmi.pairwise_test(frame, n_permutations=5)
    equal(on_dask.mi, on_threads.mi)
    equal(on_dask.pvalue, on_threads.pvalue)
    assert on_dask.nulls == on_threads.nulls == {"g-test": 1, "permutation": 9}


def test_workers_sharing_a_process(rng):
    """In-process workers (processes=False) run tiles side by side, same matrix."""
    frame = mixed_frame(rng)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        Client(cluster, set_as_default=False) as local,
    ):
        result = fastmi.pairwise_mi(frame, backend="dask", client=local, tile_size=2)
    equal(result, fastmi.pairwise_mi(frame))


def test_the_current_client_is_the_default(client, rng):
    X = rng.integers(0, 4, size=(200, 5))
    with client.as_current():
        equal(fastmi.pairwise_mi(X, backend="dask"), fastmi.pairwise_mi(X))


def test_no_client_is_a_clear_error_before_any_file_is_made(rng, tmp_path):
    path = tmp_path / "mi.npy"
    with pytest.raises(InvalidParameterError, match="no Dask client.*Client\\(\\)"):
        fastmi.pairwise_mi(rng.integers(0, 4, size=(50, 3)), backend="dask", out=path)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InvalidParameterError, match="dask.distributed.Client"):
        fastmi.pairwise_mi(rng.integers(0, 4, size=(50, 3)), backend="dask", client="tcp://x")


def test_dask_collections_are_accepted(client, rng):
    frame = mixed_frame(rng)
    expected = fastmi.pairwise_mi(frame)
    with client.as_current():  # the collections compute on the cluster too
        from_frame = fastmi.pairwise_mi(dd.from_pandas(frame, npartitions=3))
        from_array = fastmi.pairwise_mi(da.from_array(frame.to_numpy()[:, :6], chunks=(100, 3)))
        target = fastmi.mi_with_target(
            dd.from_pandas(frame[["c0", "c2"]], npartitions=2),
            dd.from_pandas(frame["c1"], npartitions=2),
        )
    pd.testing.assert_frame_equal(from_frame, expected)
    equal(from_array, expected.to_numpy()[:6, :6])
    equal(target, fastmi.mi_with_target(frame[["c0", "c2"]], frame["c1"]))


def test_progress_reaches_the_whole_work(client, rng, capsys):
    fastmi.pairwise_mi(
        rng.integers(0, 4, size=(100, 8)), backend="dask", client=client, progress=True
    )
    assert "100%" in capsys.readouterr().err


def test_dask_resume_computes_only_the_missing_tiles(client, rng, tmp_path, monkeypatch):
    X = rng.normal(size=(300, 10))
    path = tmp_path / "mi.zarr"
    total = n_tiles(10, 10, True, 2)  # 15
    with monkeypatch.context() as patch:
        first = counting_writes(patch, stop_after=5)
        with pytest.raises(Interrupted):
            fastmi.pairwise_mi(X, backend="dask", client=client, out=path, tile_size=2)
    second = counting_writes(monkeypatch)
    result = fastmi.pairwise_mi(X, backend="dask", client=client, out=path, resume=True)
    assert len(first) == 5
    assert len(second) == total - 5
    assert set(first).isdisjoint(second)
    equal(result[:], fastmi.pairwise_mi(X))


@pytest.mark.parametrize("module", ["distributed", "zarr"])
def test_missing_optional_dependency_names_the_extra(rng, tmp_path, monkeypatch, module):
    monkeypatch.setitem(sys.modules, module, None)  # import fails
    X = rng.integers(0, 4, size=(50, 3))
    with pytest.raises(ImportError, match=r"fastmi\[dask\]"):
        if module == "zarr":
            fastmi.pairwise_mi(X, out=tmp_path / "mi.zarr")
        else:
            fastmi.pairwise_mi(X, backend="dask")


def kill(addresses, pids, record):
    for address in addresses:
        os.kill(pids[address], signal.SIGKILL)
        record.append(address)


def test_a_killed_worker_changes_nothing(client, rng, tmp_path, monkeypatch):
    """Kill a busy worker process (SIGKILL) once the first tile is in: its tiles run
    elsewhere, no written tile is computed again, and the matrix is the same."""
    X = rng.normal(size=(10_000, 16))  # tiles of about 20 ms: the run outlasts a write
    X[:, 1] += X[:, 0]
    expected = fastmi.pairwise_mi(X, tile_size=2)
    pids = client.run(os.getpid)
    killed = []

    def kill_a_busy_worker():
        busy = [address for address, keys in client.processing().items() if keys]
        assert busy, "no worker was computing a tile"
        kill(busy[:1], pids, killed)

    written = counting_writes(monkeypatch, after_first=kill_a_busy_worker)
    path = tmp_path / "mi.npy"
    result = fastmi.pairwise_mi(X, backend="dask", client=client, out=path, tile_size=2)
    assert killed, "a worker must be killed during the run"
    assert sorted(written) == sorted(set(written)) and len(written) == n_tiles(16, 16, True, 2)
    equal(result, expected)
    client.wait_for_workers(2, timeout=120)
    assert pids[killed[0]] not in client.run(os.getpid).values()  # it did die


def test_every_worker_killed_scatters_the_job_again(client, rng, tmp_path, monkeypatch):
    """With every copy of the prepared data gone, the tiles not yet written are
    resubmitted with the data scattered again (gcmi: the new workers compile fast)."""
    X = rng.normal(size=(3000, 24))
    expected = fastmi.pairwise_mi(X, method="gcmi", tile_size=2)
    pids = client.run(os.getpid)
    killed = []
    written = counting_writes(monkeypatch, after_first=lambda: kill(pids, pids, killed))
    result = fastmi.pairwise_mi(
        X, method="gcmi", backend="dask", client=client, out=tmp_path / "mi.npy", tile_size=2
    )
    assert len(killed) == 2
    assert sorted(written) == sorted(set(written)) and len(written) == n_tiles(24, 24, True, 2)
    equal(result, expected)
    # No waiting for the workers to come back: LocalCluster may retire a restarted
    # nanny after losing them all, and this is the module's last use of the cluster.


def test_pairwise_cmi_on_dask_equals_threads(client, rng, monkeypatch):
    """Blocks of pairs as tasks (several blocks here), from the job prepared in this
    process: the class-by-class path (KSG and Ross pairs) and the direct one (the
    discrete pair's table given the classes)."""
    from fastmi.pairwise import _cmi

    monkeypatch.setattr(_cmi, "PAIRS_PER_BLOCK", 3)
    frame = mixed_frame(rng, n=200, p=4)
    classes = rng.integers(0, 2, 200)
    on_dask = fastmi.pairwise_cmi(frame, classes, backend="dask", client=client)
    equal(on_dask, fastmi.pairwise_cmi(frame, classes))
    with pytest.raises(fastmi.InvalidParameterError, match="client= is for backend='dask'"):
        fastmi.pairwise_cmi(frame, classes, client=client)
