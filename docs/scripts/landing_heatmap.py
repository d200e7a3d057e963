"""The picture of the landing page (docs/index.md): the MI matrix of scikit-learn's
wine table (178 wines, 13 chemical measurements and the cultivar), drawn by
:func:`fastmi.plot.heatmap`. The code is the page's example, line for line.

    python docs/scripts/landing_heatmap.py    # writes docs/_static/landing_heatmap.png

Runs offline in a few seconds (the wine data ship with scikit-learn).
"""

from __future__ import annotations

from pathlib import Path

import fastmi

OUT = Path(__file__).resolve().parents[1] / "_static" / "landing_heatmap.png"


def matrix():
    """The page's matrix: float pairs by Gao et al. ("mixed"), since the measurements
    are rounded (ties), the cultivar against each measurement by Ross."""
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
    return fastmi.pairwise_mi(wine, method={"continuous": "mixed"}, progress=False)


def plot(mi, path=OUT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fastmi.plot import heatmap

    ax = heatmap(mi, title="Wine: MI of every pair of columns")
    ax.figure.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(ax.figure)


if __name__ == "__main__":
    plot(matrix())
