"""compare.py end to end at tiny sizes (--quick): the table, the report page, its plots.

The numbers of a quick run mean nothing; this checks that the one command that produces
docs/benchmarks.md runs every workload and writes a valid page.
"""

import importlib.util

import compare
import numba
import pytest
import report
import workloads

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_compare_quick_report(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    threads = numba.get_num_threads()
    results = compare.main(["--quick", "--report", "--docs-dir", str(tmp_path)])
    printed = capsys.readouterr().out
    assert numba.get_num_threads() == threads  # restored

    page = (tmp_path / "benchmarks.md").read_text()
    assert [line for line in page.splitlines() if line.startswith("# ")] == ["# Benchmarks"]
    assert ">>>" not in page  # docs/*.md are collected as doctests
    assert "python bench/compare.py --quick --report --docs-dir" in page
    assert "`--quick` run" in page
    for heading in ["## Machine and software", "## Results", "| workload | th | fastmi |"]:
        assert heading in page
    for kind in [
        "KSG MI, one pair, N = 200",
        "KSG MI, x and y of 5 columns each, N = 600",
        "KSG MI, 99.9 % tied column vs a normal column, N = 3,000",
        "discrete MI, one pair, str labels, N = 2,000",
        "import fastmi, fresh process",
        "all-pairs KSG, P = 8, N = 300",
        "all-pairs discrete, P = 20, N = 500, 16 levels",
        "MI with a target, P = 5, N = 400",
    ]:
        assert any(row.workload == kind for row in results.rows), kind
    for row in results.rows:
        line = " | ".join(
            report.md_cell(cell)
            for cell in [row.workload, str(row.threads), report.fmt_time(row.fastmi), row.peer]
        )
        assert f"| {line} |" in page
        assert row.workload in printed
        assert "differ" not in row.note  # every peer computes the same numbers
    if importlib.util.find_spec("sklearn") is not None:
        peers = {row.peer for row in results.rows}
        assert workloads.SKLEARN in peers and workloads.SKLEARN_LOOP in peers
        assert workloads.CKDTREE in peers
        assert "scaled from 2 of 8 calls" in page  # the subset-and-scale path ran
        assert all(row.ratio > 0 for row in results.rows if row.peer)

    for name in ["benchmarks_vs_n.png", "benchmarks_vs_p.png"]:
        assert f"](_static/{name})" in page
        image = (tmp_path / "_static" / name).read_bytes()
        assert image.startswith(PNG_MAGIC) and len(image) > 10_000
    assert set(results.vs_n) >= {"fastmi"} and len(results.vs_n["fastmi"]) == 3
    assert len(results.vs_p["fastmi"]) == 2


def test_compare_refuses_quick_numbers_in_docs():
    with pytest.raises(SystemExit):
        compare.main(["--quick", "--report"])


def test_compare_unknown_workload():
    with pytest.raises(SystemExit):
        compare.main(["--only", "ksg-pair,nonsense"])


def test_first_hour_quick(capsys):
    """first_hour.py end to end at tiny sizes: every line it promises is printed."""
    import first_hour

    first_hour.main(["--quick"])
    out = capsys.readouterr().out
    assert "method={'continuous': 'gcmi', 'mixed': 'hist'}" in out and "method=hist" in out
    assert "ETA on a 200 x 40 mixed table under auto" in out


def test_significance_quick(capsys):
    """significance.py end to end at tiny sizes."""
    import significance

    significance.main(["--quick"])
    out = capsys.readouterr().out
    assert out.count("target") == 4 and out.count("mi_ci coverage") == 2
