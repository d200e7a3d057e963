"""ib.py end to end at tiny sizes (--quick), and one annealed IB curve timed.

The numbers of a quick run mean nothing; this checks that the benchmark runs.
"""

import ib
import numpy as np

from fastmi import info


def test_ib_quick(capsys):
    results = ib.main(["--quick"])
    printed = capsys.readouterr().out
    assert "table 300 x 20" in printed
    assert set(results["curve"]) == {16, 64}


def test_ib_curve(benchmark):
    pxy = ib.make_table(500, 30)
    info.ib_curve(ib.make_table(20, 5), [1.0, 5.0])  # compile outside the timer
    benchmark.group = "ib_curve 500 x 30, 8 betas"
    curve = benchmark.pedantic(
        info.ib_curve, args=(pxy, np.geomspace(1, 100, 8)), rounds=1, iterations=1
    )
    assert (np.diff(curve["izy"]) >= -1e-7).all()
