"""The information bottleneck on a 10^4 x 10^2 joint table: time per beta.

    python bench/ib.py            # full size (the issue's target: well under 1 s per beta)
    python bench/ib.py --quick    # tiny sizes: checks the path in seconds

The table: X has 10^4 values in 10 hidden classes; p(y|x) is 90% its class's
distribution over 100 values of Y and 10% its own noise, so every row of p(y|x) is
distinct. Times ``fastmi.info.information_bottleneck`` at single betas (from the seeded
starts) and ``fastmi.info.ib_curve`` over a grid of betas (annealed; time per beta),
with the iterations they took.

No other implementation is timed: dit (whose ``IBCurve`` computes the curve) was not
installed where this benchmark was written, so a comparison with it could not be
checked against its real API and is left out.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from fastmi import info


def make_table(n_x: int, n_y: int, n_classes: int = 10, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    prototypes = rng.dirichlet(np.full(n_y, 0.3), size=n_classes)
    classes = rng.integers(0, n_classes, n_x)
    noise = rng.dirichlet(np.full(n_y, 0.3), size=n_x)
    return (0.9 * prototypes[classes] + 0.1 * noise) / n_x


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    args = parser.parse_args(argv)
    n_x, n_y = (300, 20) if args.quick else (10_000, 100)
    pxy = make_table(n_x, n_y)
    info.information_bottleneck(make_table(20, 5), 2.0)  # compile outside the timers
    info.information_bottleneck(make_table(20, 5), 2.0, kind="deterministic")
    print(f"table {n_x:,} x {n_y}, I(X;Y) = {info.mutual_info(pxy):.4f} nats")
    results = {"single": [], "curve": {}}
    for n_clusters in (16, 64):
        for kind in ("ib", "deterministic"):
            for beta in (5.0, 20.0, 100.0):
                seconds, r = timed(info.information_bottleneck, pxy, beta, n_clusters, kind=kind)
                results["single"].append((n_clusters, kind, beta, seconds, r.n_iter))
                print(
                    f"information_bottleneck K={n_clusters:3d} {kind:13s} beta={beta:6.1f}:"
                    f" {seconds:6.3f} s, {r.n_iter:4d} iterations, I(Z;Y) = {r.izy:.4f}"
                )
    betas = np.geomspace(1, 100, 5 if args.quick else 12)
    for n_clusters in (16, 64):
        seconds, curve = timed(info.ib_curve, pxy, betas, n_clusters=n_clusters)
        per_beta = seconds / len(betas)
        results["curve"][n_clusters] = per_beta
        print(f"ib_curve K={n_clusters:3d}, {len(betas)} betas from 1 to 100: {seconds:.2f} s, "
              f"{per_beta:.3f} s per beta, top I(Z;Y) = {curve['izy'].max():.4f}")  # fmt: skip
    return results


if __name__ == "__main__":
    main()
