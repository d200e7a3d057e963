"""feature_selection.py end to end at tiny sizes (--quick), and fastmi's MRMR timed.

The numbers of a quick run mean nothing; this checks that the comparison with
feature_engine runs and that both select the same features on its data.
"""

import feature_selection
import numpy as np
import pytest

from fastmi.feature_selection import MRMR


def test_feature_selection_quick(capsys):
    pytest.importorskip("feature_engine")
    results = feature_selection.main(["--quick"])
    printed = capsys.readouterr().out
    assert "fastmi MRMR(miq), P = 30" in printed and "extrapolated from P = 12" in printed
    assert results["same"] and results["ratio"] > 0


@pytest.mark.parametrize("n_samples, n_vars", [(1_000, 40)])
def test_mrmr_miq(benchmark, n_samples, n_vars):
    X, y = feature_selection.make_data(n_samples, n_vars)
    MRMR(2, scheme="miq").fit(X[:200, :4], y[:200])  # compile outside the timer
    benchmark.group = f"MRMR miq n={n_samples} p={n_vars}"
    selector = benchmark.pedantic(MRMR(10, scheme="miq").fit, args=(X, y), rounds=1, iterations=1)
    assert np.unique(selector.ranking_).size == 10
