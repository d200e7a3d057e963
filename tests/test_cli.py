import io
import os
import subprocess
import sys

import pytest

import fastmi
from fastmi.cli import main


def test_demo_prints_the_worked_examples(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "f = 0.1   I(X;Y) = 0.5310 bits" in out
    assert "f = 0.0   I(X;Y) = 1.0000 bits" in out
    assert "f = 0.5   I(X;Y) = 0.0000 bits" in out
    assert "I(X;Y) = 0.0067018 nats" in out
    outlook_row = next(line for line in out.splitlines() if line.startswith("outlook"))
    assert outlook_row.split()[-1] == "0.2467"  # Gain(S, outlook), Quinlan 1986


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"fastmi {fastmi.__version__}"
    assert main([]) == 2
    assert "usage: fastmi" in capsys.readouterr().err


def test_unknown_command_is_one_clear_line():
    result = subprocess.run(
        [sys.executable, "-m", "fastmi.cli", "nope"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "invalid choice: 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def write_table(tmp_path, rng=None):
    import numpy as np
    import pandas as pd

    rng = rng or np.random.default_rng(0)
    frame = pd.DataFrame(
        {"a": rng.normal(size=300), "b": rng.integers(0, 3, 300), "c": rng.choice(["x", "y"], 300)}
    )
    frame["d"] = frame["a"] + frame["b"]
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_matrix_of_a_csv_equals_pairwise_mi(tmp_path, capsys):
    import numpy as np
    import pandas as pd

    path, frame = write_table(tmp_path)
    out = tmp_path / "mi.csv"
    assert main(["matrix", str(path), "-o", str(out), "--base", "2", "-q"]) == 0
    written = pd.read_csv(out, index_col=0)
    expected = fastmi.pairwise_mi(pd.read_csv(path), base=2)
    np.testing.assert_allclose(written.to_numpy(), expected.to_numpy(), rtol=1e-12)
    assert list(written.columns) == ["a", "b", "c", "d"]
    assert main(["matrix", str(path), "--columns", "a,d", "--method", "gcmi", "-q"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == ",a,d" and len(lines) == 3


def test_dropna_drops_and_says_how_many(tmp_path, capsys):
    import numpy as np
    import pandas as pd

    path, frame = write_table(tmp_path)
    holed = frame.astype({"b": float})
    holed.loc[[3, 10], "a"] = np.nan
    holed.loc[10, "c"] = None
    holed.loc[11, "b"] = np.nan
    holed.to_csv(path, index=False)
    assert main(["matrix", str(path), "--dropna", "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "fastmi: dropped 3 of 300 rows with missing values\n"
    written = pd.read_csv(io.StringIO(captured.out), index_col=0)
    # b had gaps (read as float); without them it is the integer labels it was
    expected = fastmi.pairwise_mi(frame.drop(index=[3, 10, 11]).reset_index(drop=True))
    np.testing.assert_allclose(written.to_numpy(), expected.to_numpy(), rtol=1e-12)
    (tmp_path / "gaps.csv").write_text("a,b\n1,2\n2,\n3,\n")
    assert main(["matrix", str(tmp_path / "gaps.csv"), "--dropna"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "fastmi: dropped 2 of 3 rows with missing values",
        f"fastmi: error: {tmp_path / 'gaps.csv'}: after dropping missing values the table "
        "has 1 row; MI is estimated from samples and needs at least 2",
    ]


def test_plan_and_per_kind_methods(tmp_path, capsys):
    import pandas as pd

    path, frame = write_table(tmp_path)
    assert main(["matrix", str(path), "--plan", "--method", "continuous=gcmi"]) == 0
    out = capsys.readouterr().out
    assert out == f"{fastmi.plan(frame, method={'continuous': 'gcmi'})}\n"
    # a-d on gcmi; a, d against the labels b, c on ross; b-c discrete
    assert "(discrete 1, ross 4, gcmi 1)" in out
    assert main(["matrix", str(path), "--method", "continuous=gcmi,discrete=discrete", "-q"]) == 0
    written = pd.read_csv(io.StringIO(capsys.readouterr().out), index_col=0)
    expected = fastmi.pairwise_mi(frame, method={"continuous": "gcmi", "discrete": "discrete"})
    assert written.loc["a", "d"] == pytest.approx(expected.loc["a", "d"], rel=1e-12)


def test_matrix_of_parquet(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    path, frame = write_table(tmp_path)
    frame.to_parquet(tmp_path / "t.parquet")
    assert main(["matrix", str(tmp_path / "t.parquet"), "-q"]) == 0
    assert capsys.readouterr().out.startswith(",a,b,c,d")


@pytest.mark.parametrize(
    "args, message",
    [
        (["matrix", "{dir}/missing.csv"], "missing.csv: no such file"),
        (["matrix", "{dir}/table.txt"], "unknown file type '.txt'; use .csv, .tsv or .parquet"),
        (["matrix", "{table}", "--columns", "a,zz"], "no column named 'zz'; it has 'a', 'b'"),
        (["matrix", "{table}", "--k", "0"], "k must be >= 1; got 0."),
        (["matrix", "{table}", "--normalize", "min"], "normalize='min' divides by entropies"),
        (["matrix", "{dir}/bad.csv"], "bad.csv: cannot read it as csv"),
        (
            ["matrix", "{dir}/gaps.csv"],
            "gaps.csv: column 'b' has a missing value at data row 2 (line 3 of the file) "
            "(2 in all); pass --dropna",
        ),
        (["matrix", "{dir}/one.csv"], "one.csv: the table has 1 row; MI is estimated from"),
        (
            ["matrix", "{dir}/inf.csv"],
            "inf.csv: column 'b' has an infinite value at data row 2 (line 3 of the file)",
        ),
        (["matrix", "{table}", "--method", "continuous=nope"], "method['continuous'] must be"),
        (["matrix", "{table}", "--method", "continuous="], "use a name (one of auto,"),
    ],
)
def test_matrix_errors_are_one_line(tmp_path, capsys, args, message):
    path, _ = write_table(tmp_path)
    (tmp_path / "table.txt").write_text("a,b\n1,2\n")
    (tmp_path / "bad.csv").write_bytes(b'a,b\n"1,2\n')
    (tmp_path / "gaps.csv").write_text("a,b\n1,2\n2,\n3,\n")
    (tmp_path / "one.csv").write_text("a,b\n1,2\n")
    (tmp_path / "inf.csv").write_text("a,b\n1,2\n2,inf\n3,4\n")
    argv = [a.format(dir=tmp_path, table=path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastmi: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_compile_notice_says_one_line_for_a_long_compilation():
    """The listener says its line once when a fastmi compilation outlasts the delay,
    and nothing for other packages' compilations or quick ones."""
    import io
    import time
    from types import SimpleNamespace

    from fastmi._compile_notice import CompileNotice, notice_text

    def event_of(module):
        return SimpleNamespace(data={"dispatcher": SimpleNamespace(py_func=SimpleNamespace(
            __module__=module))})  # fmt: skip

    stream = io.StringIO()
    listener = CompileNotice(stream, after=0.05)
    ours, theirs = event_of("fastmi.kernels._ksg"), event_of("numba.np.arrayobj")
    listener.on_start(theirs)
    time.sleep(0.15)
    listener.on_end(theirs)
    listener.on_start(ours)  # quick: ends before the timer fires
    listener.on_end(ours)
    time.sleep(0.15)
    assert stream.getvalue() == ""
    listener.on_start(ours)  # long, with a nested compilation
    listener.on_start(ours)
    time.sleep(0.15)
    listener.on_end(ours)
    listener.on_end(ours)
    listener.on_start(ours)
    time.sleep(0.15)
    listener.on_end(ours)
    assert stream.getvalue() == notice_text()
    assert "once per" in notice_text()


def test_demo_warms_the_cache_for_a_mixed_table(tmp_path):
    """After ``fastmi demo`` in a fresh cache, a mixed DataFrame's matrix compiles
    nothing: the demo ran the same kernels with the same signatures."""
    script = (
        "import numpy as np, pandas as pd, fastmi\n"
        "from numba.core import event\n"
        "compiled = []\n"
        "class L(event.Listener):\n"
        "    def on_start(self, ev): compiled.append(ev.data['dispatcher'].py_func.__name__)\n"
        "    def on_end(self, ev): pass\n"
        "event.register('numba:compile', L())\n"
        "rng = np.random.default_rng(1)\n"
        "df = pd.DataFrame({'f': rng.normal(size=200), 'g': rng.normal(size=200),\n"
        "                   'i': rng.integers(0, 4, 200), 's': rng.choice(['a', 'b'], 200),\n"
        "                   'b': rng.random(200) > 0.5})\n"
        "fastmi.pairwise_mi(df, progress=False)\n"
        "print(sorted(set(name for name in compiled if not name.startswith('impl'))))\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "FASTMI_NUMBA_CACHE": "1"}
    demo = subprocess.run(
        [sys.executable, "-m", "fastmi.cli", "demo"], capture_output=True, text=True, env=env
    )
    assert demo.returncode == 0, demo.stderr
    after = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert after.returncode == 0, after.stderr
    fastmi_kernels = [name for name in eval(after.stdout) if name.startswith("_")]
    assert fastmi_kernels == []


def test_rows_are_named_as_in_the_file_after_dropna(tmp_path, capsys):
    path = tmp_path / "gaps.csv"
    path.write_text("a,b\n1,2\n,3\n4,inf\n5,6\n")
    assert main(["matrix", str(path), "--dropna"]) == 2
    err = capsys.readouterr().err
    assert "column 'b' has an infinite value at data row 3 (line 4 of the file)" in err
