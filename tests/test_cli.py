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
