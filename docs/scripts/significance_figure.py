"""The figure of the page "Significance" (docs/significance.md): the permutation null of
one test with its observed statistic, and a matrix test with the pairs that the
Benjamini-Hochberg correction keeps.

    python docs/scripts/significance_figure.py    # writes docs/_static/significance.png

Runs in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import fastmi

STYLE = {"font.size": 11, "axes.titlesize": 12, "legend.fontsize": 9}
OUT = Path(__file__).resolve().parents[1] / "_static" / "significance.png"
#: Planted pairs of the matrix panel (i, j, correlation), on 12 variables.
PLANTED = [(0, 1, 0.5), (2, 5, 0.3), (7, 8, 0.2), (3, 10, 0.12)]


def one_test(n_permutations: int):
    """The example of the page's first section, with more permutations."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=400)
    y = np.sin(3 * x) + 0.5 * rng.normal(size=400)  # dependent, uncorrelated
    independent = rng.normal(size=400)
    return (
        fastmi.mi_test(x, y, n_permutations=n_permutations),
        fastmi.mi_test(x, independent, n_permutations=n_permutations),
    )


def matrix_test():
    """12 Gaussian variables of 500 samples with four planted pairs of decreasing
    correlation, tested with gcmi's analytic null and the BH correction."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(500, 12))
    for i, j, rho in PLANTED:
        X[:, j] = rho * X[:, i] + np.sqrt(1 - rho**2) * X[:, j]
    return fastmi.pairwise_test(X, method="gcmi")


def main(path=OUT, quick: bool = False) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dependent, independent = one_test(99 if quick else 999)
    matrix = matrix_test()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), width_ratios=(1.25, 1))
        ax = axes[0]
        for result, color, label, height in [
            (independent, "C0", "x and an independent y", 0.85),
            (dependent, "C3", "x and y = sin(3x) + noise", 0.55),
        ]:
            null = result.null_distribution
            ax.hist(null, bins=40, color=color, alpha=0.45, label=f"null: {label}")
            ax.axvline(result.statistic, color=color, lw=2)
            ax.annotate(
                f"observed {result.statistic:.3f}\np = {result.pvalue:.3g}",
                (result.statistic, ax.get_ylim()[1] * height),
                xytext=(-6, 0),
                textcoords="offset points",
                ha="right",
                color=color,
                fontsize=9,
            )
        ax.set_xlabel("KSG estimate (nats)")
        ax.set_ylabel("permutations")
        ax.set_title(f"mi_test: {len(dependent.null_distribution)} permutations of y")
        ax.legend(loc="upper right", fontsize=8)
        ax = axes[1]
        mi = np.array(matrix.mi, dtype=float)
        np.fill_diagonal(mi, np.nan)
        image = ax.imshow(mi, cmap="viridis")
        fig.colorbar(image, ax=ax, shrink=0.85, label="gcmi (nats)")
        rows, cols = np.nonzero(np.asarray(matrix.adjusted) <= 0.05)
        ax.scatter(cols, rows, s=60, facecolors="none", edgecolors="white", linewidths=1.5)
        ax.set_xticks(range(mi.shape[0]))
        ax.set_yticks(range(mi.shape[0]))
        ax.set_title("pairwise_test, gcmi: circled if BH-adjusted p <= 0.05")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
    return Path(path)


if __name__ == "__main__":
    main()
