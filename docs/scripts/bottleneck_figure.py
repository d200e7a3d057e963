"""The figure of the page "The information bottleneck" (docs/bottleneck.md): IB curves
of the noisy binary channel, of the weather table (outlook -> play, soft and
deterministic IB), and of Gaussians (the closed form of Chechik et al. 2005).

    python docs/scripts/bottleneck_figure.py    # writes docs/_static/bottleneck.png

Runs in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fastmi import info

OUT = Path(__file__).resolve().parents[1] / "_static" / "bottleneck.png"


def channel(f: float) -> np.ndarray:
    """A fair bit through a binary symmetric channel that flips it with probability f."""
    return np.array([[(1 - f) / 2, f / 2], [f / 2, (1 - f) / 2]])


#: Outlook (sunny, overcast, rain) on the rows, play (no, yes) on the columns.
WEATHER = np.array([[3, 0, 2], [2, 4, 3]]).T


def gaussian_cov(rho: float) -> np.ndarray:
    return np.array([[1.0, rho], [rho, 1.0]])


def multivariate_cov() -> np.ndarray:
    """X and Y of 3 dimensions each with canonical correlations 0.9, 0.6 and 0.3."""
    cov = np.eye(6)
    for i, rho in enumerate((0.9, 0.6, 0.3)):
        cov[i, 3 + i] = cov[3 + i, i] = rho
    return cov


def main(path=OUT, quick: bool = False) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = 12 if quick else 60
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.3))
    ax = axes[0]
    for f in (0.02, 0.1, 0.25):
        curve = info.ib_curve(channel(f), betas=np.geomspace(1, 200, n), base=2)
        ax.plot(curve["ixz"], curve["izy"], marker=".", label=f"f = {f}")
    ax.set_title("noisy binary channel (bits)")
    ax = axes[1]
    betas = np.geomspace(1, 300, n)
    soft = info.ib_curve(WEATHER, betas=betas, base=2)
    hard = info.ib_curve(WEATHER, betas=betas, kind="deterministic", base=2)
    ax.plot(soft["ixz"], soft["izy"], marker=".", label="IB")
    ax.plot(hard["ixz"], hard["izy"], "s", mfc="none", label="deterministic IB")
    ax.axhline(info.mutual_info(WEATHER, base=2), color="0.5", ls="--", lw=0.8)
    ax.set_title("weather: outlook -> play (bits)")
    ax = axes[2]
    for rho in (0.5, 0.8, 0.95):
        curve = info.ib_curve(cov=gaussian_cov(rho), betas=np.geomspace(1, 1e3, 4 * n))
        ax.plot(curve["ixz"], curve["izy"], label=f"rho = {rho}")
    curve = info.ib_curve(cov=multivariate_cov(), betas=np.geomspace(1, 1e3, 4 * n))
    ax.plot(curve["ixz"], curve["izy"], color="black", label="3 + 3 dims")
    critical = 1 / np.array([0.9, 0.6, 0.3]) ** 2
    kinks = info.ib_curve(cov=multivariate_cov(), betas=critical * 1.0000001)
    ax.plot(kinks["ixz"], kinks["izy"], "o", color="black", mfc="white", label="critical beta")
    ax.set_xlim(0, 6)
    ax.set_title("Gaussians, closed form (nats)")
    for ax in axes:
        ax.set_xlabel("I(X;Z)")
        ax.set_ylabel("I(Z;Y)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


if __name__ == "__main__":
    main()
