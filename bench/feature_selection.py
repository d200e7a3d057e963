"""fastmi's MRMR(scheme="miq") against feature_engine's MRMR(method="MIQ"), in one run
(the feature selection issue's speed target), on 2 threads:

    python bench/feature_selection.py            # P = 1,000, N = 10^4, 50 selected
    python bench/feature_selection.py --quick    # tiny sizes: checks the path in seconds

Both select by the same criterion from the same kind of estimates: relevance I(f;y)
and redundancy I(f;f_j) by KSG (k = 3) for continuous data, the quotient of relevance
and mean redundancy. feature_engine calls scikit-learn's ``mutual_info_regression``
for every step (selected feature against all remaining ones), re-scaling and
re-searching every column each time; fastmi prepares each column once and runs the
pairs on its kernels.

feature_engine takes about 50 ms per KSG pair at N = 10^4, so the full size (about
50,000 pairs) would take close to an hour on 2 cores. It is run at ``--peer-p``
columns (default 100) instead, with fastmi at the same size to compare the
selections, and its time is extrapolated to P = 1,000 by the number of pairs (its
cost is the pairs' cost: each step is one ``mutual_info_regression`` call over the
remaining columns). ``--peer-p 1000`` runs it at full size.

The data: every feature loads on a shared factor (so every pair is somewhat
redundant and the quotient is well defined) and on one of 20 latent factors (groups
of redundant features); y depends on 6 of the factors.
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

from fastmi.feature_selection import MRMR


def make_data(n: int, p: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    n_factors = 20
    factors = rng.normal(size=(n, n_factors))
    shared = rng.normal(size=(n, 1))
    group = np.arange(p) % n_factors
    loading = rng.uniform(0.5, 1.5, size=p)
    X = factors[:, group] * loading + 0.6 * shared + rng.normal(size=(n, p))
    weights = np.zeros(n_factors)
    weights[:6] = [1.0, 0.8, 0.6, 0.5, 0.4, 0.3]
    y = factors @ weights + np.tanh(factors[:, 0] * factors[:, 1]) + 0.5 * rng.normal(size=n)
    return X, y


def n_pairs(p: int, selected: int) -> int:
    """KSG pairs of an mRMR run: relevance of all p, then the remaining columns
    against each newly selected one."""
    return p + sum(p - t for t in range(1, selected))


def run_fastmi(X, y, selected: int, threads: int):
    MRMR(2, scheme="miq", n_jobs=threads).fit(X[:300, :4], y[:300])  # compile outside
    start = time.perf_counter()
    selector = MRMR(selected, scheme="miq", n_jobs=threads).fit(X, y)
    return time.perf_counter() - start, selector


def run_feature_engine(X, y, selected: int, threads: int):
    import pandas as pd
    from feature_engine.selection import MRMR as FeatureEngineMRMR

    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    selector = FeatureEngineMRMR(
        method="MIQ", max_features=selected, regression=True, random_state=0, n_jobs=threads
    )
    start = time.perf_counter()
    selector.fit(frame, y)
    seconds = time.perf_counter() - start
    dropped = set(selector.features_to_drop_)
    chosen = sorted(j for j in range(X.shape[1]) if f"x{j}" not in dropped)
    return seconds, chosen


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--p", type=int, default=1_000)
    parser.add_argument("--select", type=int, default=50)
    parser.add_argument("--peer-p", type=int, default=100, help="feature_engine's P")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.p, args.select, args.peer_p = 300, 30, 5, 12
    threads = min(args.threads, numba.config.NUMBA_NUM_THREADS)
    print(f"N = {args.n:,}, {args.select} selected, {threads} threads, KSG k = 3, MIQ")
    results = {}

    X, y = make_data(args.n, args.p)
    seconds, _ = run_fastmi(X, y, args.select, threads)
    results["fastmi"] = seconds
    print(f"fastmi MRMR(miq), P = {args.p:,}: {seconds:.1f} s")

    peer_p = min(args.peer_p, args.p)
    small_X = X[:, :peer_p]
    fast_small, selector = run_fastmi(small_X, y, args.select, threads)
    try:
        peer_small, peer_chosen = run_feature_engine(small_X, y, args.select, threads)
    except ImportError:
        print("feature_engine is not installed (pip install 'fastmi[bench]'): no comparison")
        return results
    ours = sorted(selector.ranking_.tolist())
    same = len(set(ours) & set(peer_chosen))
    print(
        f"P = {peer_p:,}: fastmi {fast_small:.1f} s, feature_engine MRMR(MIQ) "
        f"{peer_small:.1f} s ({peer_small / fast_small:.0f}x); selections: {same} of "
        f"{args.select} features in common" + (" (the same)" if ours == peer_chosen else "")
    )
    scale = n_pairs(args.p, args.select) / n_pairs(peer_p, args.select)
    peer = peer_small * scale
    label = "measured" if peer_p == args.p else f"extrapolated from P = {peer_p:,} by pairs"
    print(
        f"feature_engine MRMR(MIQ), P = {args.p:,}: {peer:.0f} s ({label}); "
        f"fastmi is {peer / seconds:.0f}x faster"
    )
    results.update(feature_engine=peer, ratio=peer / seconds, common=same, same=ours == peer_chosen)
    return results


if __name__ == "__main__":
    main()
