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
    ],
)
def test_matrix_errors_are_one_line(tmp_path, capsys, args, message):
    path, _ = write_table(tmp_path)
    (tmp_path / "table.txt").write_text("a,b\n1,2\n")
    (tmp_path / "bad.csv").write_bytes(b'a,b\n"1,2\n')
    argv = [a.format(dir=tmp_path, table=path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fastmi: error: ") and message in err
    assert len(err.strip().splitlines()) == 1
