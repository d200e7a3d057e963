"""Estimate against truth on bivariate Gaussians, for every continuous estimator.

Draws X, Y standard normal with correlation rho, whose MI is exactly
I(X;Y) = -1/2 log(1 - rho^2) nats, estimates it with each of fastmi's estimators for
continuous data at several sample sizes N, and plots the mean and standard deviation of
the estimates over repetitions against the truth. Writes the figure of the page
"Choosing an estimator" (docs/estimators.md):

    python docs/scripts/estimate_vs_truth.py          # about half a minute on 2 cores

``method="discrete"`` is left out: it counts labels, and Gaussian samples have none.
``method="mixed"`` on two float variables is the Gao et al. (2017) estimator. The test
tests/test_docs_figure.py runs :func:`estimate` and :func:`plot` at a tiny size, so this
script cannot rot.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import fastmi

METHODS = ("hist", "ksg", "ksg2", "mixed", "gcmi")
RHOS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
NS = (100, 1_000, 10_000)
REPS = 20
# Large enough to read when the page scales the figure down to its text width.
STYLE = {"font.size": 11, "axes.titlesize": 13, "legend.fontsize": 10}
OUT = Path(__file__).resolve().parents[1] / "_static" / "estimate_vs_truth.png"


def true_mi(rho: float) -> float:
    """MI of a bivariate Gaussian with correlation rho, in nats."""
    return -0.5 * math.log1p(-(rho**2))


def estimate(ns=NS, rhos=RHOS, reps=REPS, methods=METHODS, seed=0) -> dict:
    """Estimates of every method on the same samples.

    Returns a dict with ``"truth"`` (shape (len(rhos),)), ``"ns"``, ``"rhos"`` and, for
    each method, an array of shape (len(ns), len(rhos), reps) of estimates in nats.
    Repetition r at sample size N and correlation rho draws from its own seed, so the
    numbers do not depend on which other sizes are run.
    """
    out = {"ns": tuple(ns), "rhos": tuple(rhos)}
    out["truth"] = np.array([true_mi(rho) for rho in rhos])
    for method in methods:
        out[method] = np.empty((len(ns), len(rhos), reps))
    for a, n in enumerate(ns):
        for b, rho in enumerate(rhos):
            for r in range(reps):
                rng = np.random.default_rng([seed, n, round(rho * 1000), r])
                x = rng.standard_normal(n)
                y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(n)
                for method in methods:
                    out[method][a, b, r] = fastmi.mi(x, y, method=method)
    return out


def plot(results: dict, path) -> None:
    """Per method, mean +- sd of the estimates against the true MI (top row) and of
    the error, estimate - truth (bottom row; hist has its own scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plt.rc_context(STYLE):
        _draw(results, path, plt)


def _draw(results: dict, path, plt) -> None:
    methods = [m for m in METHODS if m in results]
    truth = results["truth"]
    fig, axes = plt.subplots(
        2,
        len(methods),
        figsize=(2.7 * len(methods), 6.0),
        sharex=True,
        squeeze=False,
        constrained_layout=True,
        gridspec_kw={"height_ratios": [3, 2]},
    )
    top = float(truth.max()) * 1.12 + 0.05
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.8, len(results["ns"])))
    for j, method in enumerate(methods):
        upper, lower = axes[0, j], axes[1, j]
        upper.plot([0, top], [0, top], color="0.6", lw=1, ls="--", label="truth")
        lower.axhline(0.0, color="0.6", lw=1, ls="--")
        for a, n in enumerate(results["ns"]):
            values = results[method][a]
            style = dict(marker="o", ms=3, lw=1.2, capsize=2, color=colours[a])
            mean, sd = values.mean(axis=1), values.std(axis=1)
            upper.errorbar(truth, mean, yerr=sd, label=f"N = {n:,}", **style)
            lower.errorbar(truth, mean - truth, yerr=sd, **style)
        upper.set_title(f'"{method}"' + (" (Gao)" if method == "mixed" else ""))
        upper.set_ylim(-0.15, top)
        upper.set_xlim(-0.05, top)
        if j > 0:
            upper.sharey(axes[0, 0])
            upper.tick_params(labelleft=False)
        if method != "hist":
            lower.set_ylim(-0.32, 0.32)
        if j > 1 or (j == 1 and methods[0] != "hist"):
            lower.tick_params(labelleft=False)
        lower.set_xlabel("true MI (nats)")
        for ax in (upper, lower):
            ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("estimate (nats)")
    axes[1, 0].set_ylabel("estimate - truth")
    if len(methods) > 1 and methods[0] == "hist":
        axes[1, 1].set_ylabel("estimate - truth")
    axes[0, 0].legend(loc="upper left")
    reps = results[methods[0]].shape[2]
    fig.suptitle(
        "Bivariate Gaussians, true MI = -1/2 log(1 - rho^2); "
        f"mean +- sd of {reps} estimates per point",
        fontsize=13,
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=REPS, help="samples per point")
    parser.add_argument("-o", "--out", type=Path, default=OUT, help="PNG to write")
    args = parser.parse_args(argv)
    results = estimate(reps=args.reps)
    plot(results, args.out)
    for method in METHODS:
        bias = results[method].mean(axis=2) - results["truth"]
        sd = results[method].std(axis=2)
        for a, n in enumerate(results["ns"]):
            print(  # noqa: T201
                f"{method:6s} N={n:6d} bias "
                + " ".join(f"{v:+.3f}" for v in bias[a])
                + "  sd "
                + " ".join(f"{v:.3f}" for v in sd[a])
            )
    print(f"wrote {args.out}")  # noqa: T201


if __name__ == "__main__":
    main()
