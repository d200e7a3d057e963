"""The heatmap of the page "The pairwise engine" (docs/pairwise.md), also shown in the
docstring of :func:`fastmi.plot.heatmap`: the MI matrix of scikit-learn's breast
cancer table (569 tumours, 30 measurements and the diagnosis), reordered by
hierarchical clustering.

    python docs/scripts/pairwise_heatmap.py    # writes docs/_static/pairwise_heatmap.png

Runs offline in a few seconds (the data ship with scikit-learn).
"""

from __future__ import annotations

from pathlib import Path

import fastmi

OUT = Path(__file__).resolve().parents[1] / "_static" / "pairwise_heatmap.png"


def matrix(n_columns: int | None = None):
    """The MI matrix of the first ``n_columns`` measurements (all by default) and the
    diagnosis: float pairs by Gao et al. ("mixed": some measurements are rounded),
    the diagnosis against each measurement by Ross."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer(as_frame=True)
    frame = data.frame.iloc[:, list(range(n_columns or 30)) + [30]]
    frame = frame.rename(columns={"target": "diagnosis"})
    return fastmi.pairwise_mi(frame, method={"continuous": "mixed"}, progress=False)


def plot(mi, path=OUT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fastmi.plot import heatmap

    ax = heatmap(mi, title="Breast cancer: MI of every pair, clustered")
    ax.figure.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(ax.figure)


if __name__ == "__main__":
    plot(matrix())
