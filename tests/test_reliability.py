"""Regression tests of the fuzz catalogue: crashes, hangs, data loss on disk, silently
wrong values and raw tracebacks, each reproduced here and fixed at its root. Cases
that could crash or hang the interpreter run in a subprocess with a timeout."""

import os
import subprocess
import sys
import tracemalloc
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import fastmi
from fastmi import InvalidParameterError
from fastmi.cli import main
from fastmi.pairwise._output import lock_path


def run_isolated(code: str, timeout: float = 240, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    try:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
            env=environment,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"hung for over {timeout} s:\n{code}")


def test_concurrent_calls_under_the_workqueue_layer_do_not_abort():
    """Numba's workqueue layer aborts on concurrent parallel regions; fastmi has none
    (pairs run on Python threads over serial kernels), so 4 user threads at once and a
    large single pair are safe."""
    code = (
        "import threading, numpy as np, fastmi\n"
        "X = np.random.default_rng(0).random((600, 8))\n"
        "expected = fastmi.pairwise_mi(X)\n"
        "out = []\n"
        "def work(): out.append(fastmi.pairwise_mi(X))\n"
        "threads = [threading.Thread(target=work) for _ in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert len(out) == 4 and all(np.array_equal(m, expected, equal_nan=True) for m in out)\n"
        "x = np.random.default_rng(1).normal(size=100_000)\n"
        "print(fastmi.mi(x, x + np.random.default_rng(2).normal(size=100_000)))\n"
    )
    result = run_isolated(code, NUMBA_THREADING_LAYER="workqueue")
    assert result.returncode == 0, result.stderr[-2000:]
    assert float(result.stdout) > 0.3


def test_entropy_near_the_float64_limit_neither_hangs_nor_fails():
    code = (
        "import numpy as np, fastmi\n"
        "rng = np.random.default_rng(0)\n"
        "for n in (42, 20):\n"
        "    x = rng.normal(size=(n, 2)); x[0, 0] = -np.finfo(float).max\n"
        "    print(fastmi.entropy(x, random_state=0))\n"
    )
    result = run_isolated(code, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert all(np.isfinite(float(v)) for v in result.stdout.split())


def test_entropy_scaled_by_a_power_of_two_shifts_by_its_log(rng):
    y = rng.normal(size=(300, 2))
    assert fastmi.entropy(y * 2.0**1010) - 2 * 1010 * np.log(2) == pytest.approx(
        fastmi.entropy(y), abs=1e-8
    )


def test_constant_columns_have_entropy_minus_infinity(rng):
    assert fastmi.entropy(np.ones(50)) == -np.inf
    assert fastmi.entropy(np.column_stack([np.ones(50), rng.normal(size=50)])) == -np.inf


def test_huge_counts_are_normalised_without_overflow():
    assert fastmi.info.entropy([1e308, 1e308]) == pytest.approx(np.log(2))
    assert fastmi.info.mutual_info([[1e308, 0], [0, 1e308]]) == pytest.approx(np.log(2))
    assert fastmi.info.kl_divergence([1e308, 1e308], [1, 3]) == pytest.approx(
        fastmi.info.kl_divergence([1, 1], [1, 3])
    )


@pytest.mark.parametrize(
    "labels",
    [
        pd.Series(["a", "a\x00"] * 4),
        np.array([b"a", b"a\x00"] * 4, dtype=object),
        np.array([Fraction(1, 3), 1 / 3] * 4, dtype=object),
        np.array([1, np.nextafter(np.longdouble(1), 2)] * 4, dtype=np.longdouble),
    ],
    ids=["nul-suffixed str", "nul-suffixed bytes", "Fraction and float", "longdouble"],
)
def test_distinct_labels_stay_distinct(labels):
    assert fastmi.entropy(labels, method="discrete") == pytest.approx(np.log(2))


def test_label_memory_does_not_scale_with_the_longest_label():
    column = np.array(["ab"] * 19_999 + ["x" * 20_000], dtype=object)
    tracemalloc.start()
    try:
        value = fastmi.entropy(column)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert value == pytest.approx(fastmi.info.entropy([19_999, 1]))
    assert peak < 50 * 2**20  # a fixed-width copy would take 20,000 x 80 kB = 1.5 GiB


def test_bad_parameters_are_fastmi_errors(rng):
    x, y = rng.normal(size=60), rng.normal(size=60)
    with pytest.raises(InvalidParameterError, match="correction must be one of"):
        fastmi.mi(x, y, correction=["miller-madow"])
    # 2**31 quantile bins: each distinct value its own bin, no 16 GiB grid
    with pytest.warns(fastmi.SaturationWarning):  # one sample per bin: saturated
        many = fastmi.mi(x, y, method="hist", binning="quantile", bins=2**31)
        assert many == fastmi.mi(x, y, method="hist", binning="quantile", bins=60)
    big = np.array([1, 2, 3, np.longdouble("1e4000")] * 3, dtype=np.longdouble)
    with pytest.raises(InvalidParameterError, match="beyond float64's range"):
        fastmi.entropy(big)


def test_memory_guard_counts_a_tile_no_larger_than_the_matrix(rng):
    plan = fastmi.plan(rng.normal(size=(100, 6)), tile_size=20_000)
    assert plan.memory < 2**30


# --------------------------------------------------------------------------------------
# Disk output: locks, damaged files, links
# --------------------------------------------------------------------------------------


def _lock_as_another_writer(path):
    import fcntl

    handle = open(lock_path(path), "a+")
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks: POSIX")
@pytest.mark.parametrize("suffix", [".npy", ".zarr"])
def test_a_second_writer_gets_a_clear_error(rng, tmp_path, suffix):
    X = rng.normal(size=(50, 4))
    out = tmp_path / f"m{suffix}"
    holder = _lock_as_another_writer(out)
    try:
        for resume in (False, True):
            with pytest.raises(InvalidParameterError, match="another process is writing"):
                fastmi.pairwise_mi(X, out=out, resume=resume)
        assert not out.exists()
    finally:
        holder.close()
    fastmi.pairwise_mi(X, out=out)  # the lock released: it runs
    assert (tmp_path / f"m{suffix}.tiles").exists()


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda log: log.write_text(log.read_text().split("\n")[0]), "not a fastmi tile log"),
        (lambda log: log.write_text("5\n"), "not a fastmi tile log"),
        (lambda log: log.write_bytes(os.urandom(64)), "not a fastmi tile log"),
    ],
    ids=["header without newline", "header not an object", "random bytes"],
)
def test_a_damaged_log_is_an_error_that_names_it(rng, tmp_path, damage, message):
    X = rng.normal(size=(40, 5))
    out = tmp_path / "m.npy"
    fastmi.pairwise_mi(X, out=out, tile_size=2)
    damage(tmp_path / "m.npy.tiles")
    with pytest.raises(InvalidParameterError, match=message):
        fastmi.pairwise_mi(X, out=out, tile_size=2, resume=True)
    with pytest.raises(InvalidParameterError, match=message):  # and stays one
        fastmi.pairwise_mi(X, out=out, tile_size=2, resume=True)


def test_a_cut_npy_is_an_error_not_zeros(rng, tmp_path):
    X = rng.normal(size=(40, 12))
    out = tmp_path / "m.npy"
    fastmi.pairwise_mi(X, out=out)
    size = out.stat().st_size
    with open(out, "r+b") as handle:
        handle.truncate(size // 2)
    with pytest.raises(InvalidParameterError, match="cut short"):
        fastmi.pairwise_mi(X, out=out, resume=True)
    with open(out, "r+b") as handle:
        handle.truncate(10)
    with pytest.raises(InvalidParameterError, match="not a readable .npy file"):
        fastmi.pairwise_mi(X, out=out, resume=True)


def test_a_zarr_store_missing_chunks_is_an_error(rng, tmp_path):
    X = rng.normal(size=(40, 12))
    out = tmp_path / "m.zarr"
    fastmi.pairwise_mi(X, out=out, tile_size=3)
    chunks = sorted(
        p for p in out.rglob("*") if p.is_file() and not p.name.startswith((".", "zarr"))
    )
    for chunk in chunks[: len(chunks) // 2]:
        chunk.unlink()
    with pytest.raises(InvalidParameterError, match="chunks are stored"):
        fastmi.pairwise_mi(X, out=out, tile_size=3, resume=True)


def test_outputs_are_never_written_through_links(rng, tmp_path):
    X = rng.normal(size=(30, 3))
    elsewhere = tmp_path / "elsewhere"
    out = tmp_path / "m.npy"
    (tmp_path / "m.npy.tiles").symlink_to(elsewhere)  # dangling
    with pytest.raises(InvalidParameterError, match="symbolic link"):
        fastmi.pairwise_mi(X, out=out)
    assert not elsewhere.exists() and not out.exists()


def test_outputs_of_the_wrong_kind_are_errors(rng, tmp_path):
    X = rng.normal(size=(30, 3))
    (tmp_path / "d.npy").mkdir()
    (tmp_path / "d.npy.tiles").write_text("")
    with pytest.raises(InvalidParameterError, match="is not a fastmi tile log|not a file"):
        fastmi.pairwise_mi(X, out=tmp_path / "d.npy", resume=True)
    (tmp_path / "f.zarr").write_text("plain")
    with pytest.raises(FileExistsError, match="exists"):
        fastmi.pairwise_mi(X, out=tmp_path / "f.zarr")


def test_a_closed_dask_client_is_a_clear_error(rng):
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1) as client:
        pass  # closed on exit
    with pytest.raises(InvalidParameterError, match="Dask client is not running"):
        fastmi.pairwise_mi(rng.normal(size=(20, 3)), backend="dask", client=client)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def _table(tmp_path, rng, columns=40):
    path = tmp_path / "wide.csv"
    pd.DataFrame(rng.normal(size=(100, columns))).to_csv(path, index=False)
    return path


def test_a_closed_pipe_exits_quietly(rng, tmp_path):
    path = _table(tmp_path, rng)
    command = (
        f"{sys.executable} -m fastmi.cli matrix {path} -q --method gcmi | head -c 100 "
        f"> /dev/null; echo ${{PIPESTATUS[0]}}"
    )
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    assert result.stdout.strip() == "0" and "Broken pipe" not in result.stderr


def test_output_is_written_whole_or_not_at_all(rng, tmp_path, monkeypatch, capsys):
    path = _table(tmp_path, rng, columns=4)
    out = tmp_path / "out.csv"
    out.write_text("the previous result\n")

    def interrupted(self, target, *args, **kwargs):
        with open(target, "w") as handle:
            handle.write("partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    assert main(["matrix", str(path), "-q", "-o", str(out)]) == 130
    assert capsys.readouterr().err == "fastmi: interrupted\n"
    assert out.read_text() == "the previous result\n"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "wide.csv"]


def test_directories_are_named_as_such(rng, tmp_path, capsys):
    (tmp_path / "dir.csv").mkdir()
    assert main(["matrix", str(tmp_path / "dir.csv")]) == 2
    assert "is a directory" in capsys.readouterr().err
    path = _table(tmp_path, rng, columns=3)
    assert main(["matrix", str(path), "-q", "-o", str(tmp_path / "dir.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_fd_rule_with_a_subnormal_iqr_gives_at_most_n_bins():
    """Found by fuzzing: an IQR of subnormals made span / width overflow to inf."""
    x = np.array([0, 0, 0, 0, 5e-324, 1e-300, 1.0, 0, 0, 0, 0])
    assert np.isfinite(fastmi.entropy(x, method="hist", bins="fd"))
