"""The figure of the information-plane recipe (docs/recipes.md, "An information
plane"): the recipe's five layers, from its own code, placed at (I(X;T), I(T;Y)) by
:func:`fastmi.plot.information_plane`, with the ceilings H(X) = 12 bits and
I(X;Y) = 1 bit that the recipe explains.

    python docs/scripts/recipe_information_plane.py

writes docs/_static/recipe_information_plane.png.

Runs in a second or two.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import fastmi

OUT = Path(__file__).resolve().parents[1] / "_static" / "recipe_information_plane.png"
WIDTHS = (10, 7, 5, 4, 3)


def plane(n_bits: int = 12, widths=WIDTHS) -> dict[str, list]:
    """Columns epoch, layer, I_XT, I_TY (bits) of the recipe's network: every pattern
    of ``n_bits`` bits once, a fixed linear rule as the label, tanh layers of the
    given widths with random weights, activations in 30 bins over [-1, 1]."""
    bits = (np.arange(2**n_bits)[:, None] >> np.arange(n_bits)) & 1
    rng = np.random.default_rng(0)
    y = ((2 * bits - 1) @ rng.normal(size=n_bits) > 0).astype(int)
    edges = np.linspace(-1, 1, 31)[1:-1]
    T = 2.0 * bits - 1
    rows = {"epoch": [], "layer": [], "I_XT": [], "I_TY": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.SaturationWarning)  # the recipe says why
        for width in widths:
            W = 2 * rng.normal(size=(T.shape[1], width)) / np.sqrt(T.shape[1])
            T = np.tanh(T @ W)
            codes = np.digitize(T, edges)
            rows["epoch"].append(0)
            rows["layer"].append(f"{width} units")
            rows["I_XT"].append(fastmi.mi(bits, codes, base=2))
            rows["I_TY"].append(fastmi.mi(codes, y, base=2))
    return rows


def plot(rows, path=OUT, n_bits: int = 12) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from fastmi.plot import information_plane

    ax = information_plane(rows, units="bits", title="The recipe's layers in the plane")
    ax.axvline(n_bits, color="0.5", lw=0.8, ls="--")
    ax.axhline(1.0, color="0.5", lw=0.8, ls="--")
    ax.annotate("H(X)", (n_bits, 0.02), xytext=(-4, 0), textcoords="offset points",
                ha="right", color="0.4")  # fmt: skip
    ax.annotate("I(X;Y) = H(Y)", (ax.get_xlim()[0], 1.0), xytext=(4, -12),
                textcoords="offset points", color="0.4")  # fmt: skip
    ax.set_ylim(0, 1.1)
    ax.figure.savefig(path, dpi=90, bbox_inches="tight")
    plt.close(ax.figure)


if __name__ == "__main__":
    plot(plane())
