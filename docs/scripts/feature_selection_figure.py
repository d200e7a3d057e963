"""The figure of the page "Feature selection" (docs/feature_selection.md): on the breast
cancer data, the absolute correlations among the five features that SelectKBest picks
and among the five that MRMR picks.

    python docs/scripts/feature_selection_figure.py  # writes docs/_static/feature_selection.png

Needs scikit-learn; runs in a few seconds.
"""

from __future__ import annotations

import warnings
from functools import partial
from pathlib import Path

import numpy as np

import fastmi

STYLE = {"font.size": 10, "axes.titlesize": 11}
OUT = Path(__file__).resolve().parents[1] / "_static" / "feature_selection.png"
K = 5


def selections():
    """{title: (feature names in order, |correlation| matrix)}, as on the page."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.feature_selection import SelectKBest, mutual_info_classif

    from fastmi.feature_selection import MRMR

    data = load_breast_cancer(as_frame=True)
    X, y = data.data, data.target
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)  # 6 % of one column; see the page
        kbest = SelectKBest(partial(mutual_info_classif, random_state=0), k=K).fit(X, y)
        mrmr = MRMR(K).fit(X, y)
    chosen = {
        "SelectKBest(mutual_info_classif)": list(kbest.get_feature_names_out()),
        "fastmi MRMR": list(X.columns[mrmr.ranking_]),
    }
    return {
        title: (names, np.abs(np.corrcoef(X[names].to_numpy().T)))
        for title, names in chosen.items()
    }


def main(path=OUT) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chosen = selections()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.1), layout="constrained")
        for ax, (title, (names, corr)) in zip(axes, chosen.items()):
            image = ax.imshow(corr, vmin=0, vmax=1, cmap="magma_r")
            for i in range(K):
                for j in range(K):
                    color = "white" if corr[i, j] > 0.6 else "black"
                    ax.text(j, i, f"{corr[i, j]:.2f}", ha="center", va="center", color=color)
            ax.set_xticks(range(K), [str(i + 1) for i in range(K)])
            ax.set_yticks(range(K), [f"{i + 1}  {name}" for i, name in enumerate(names)])
            mean = corr[np.triu_indices(K, 1)].mean()
            ax.set_title(f"{title}\nmean |correlation| between picks: {mean:.2f}")
        fig.colorbar(image, ax=axes, shrink=0.8, label="|correlation|")
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return Path(path)


if __name__ == "__main__":
    main()
