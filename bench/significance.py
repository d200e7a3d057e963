"""What significance costs, against the plain estimates it replaces, in one run (the
"Significance" issue's speed targets), on all cores:

    python bench/significance.py            # full sizes (a few minutes)
    python bench/significance.py --quick    # tiny sizes: checks the path in seconds

1. ``mi_test`` of one KSG pair with 1,000 permutations against 1,000 ``fastmi.mi``
   calls on permuted copies (the loop a user writes), N = 10^4.
2. ``pairwise_test`` (KSG, 100 permutations) against 101 ``pairwise_mi`` matrices
   (the data's, and 100 of copies with every column permuted on its own):
   P = 200, N = 5,000 in the issue; here P = 40, N = 2,000 and the plain matrices
   timed 5 times and scaled to 100 (the same pairs and kernels, a size that fits a
   session on 2 cores).
3. Analytic nulls: ``pairwise_test(null="analytic")`` against ``pairwise_mi`` on 1,000
   discrete columns (8 levels) x 10^4 rows, and on 1,000 gcmi columns.
4. Coverage of ``mi_ci`` (95 %) of the true MI of bivariate Gaussians, rho = 0, 0.3,
   0.6, 0.9, N = 1,000, KSG and gcmi, over repeated samples.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import fastmi


def best_of(call, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def single_pair(n: int, n_permutations: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = x + rng.normal(size=n)
    fastmi.mi_test(x[:200], y[:200], n_permutations=3)  # compile
    tested = best_of(lambda: fastmi.mi_test(x, y, n_permutations=n_permutations))
    loop_rng = np.random.default_rng(0)
    sample = min(n_permutations, 100)
    loop = best_of(lambda: [fastmi.mi(x, y[loop_rng.permutation(n)]) for _ in range(sample)])
    loop *= n_permutations / sample
    print(
        f"mi_test KSG, N = {n:,}, {n_permutations:,} permutations: {tested:.2f} s; "
        f"{n_permutations:,} mi calls {loop:.2f} s (timed {sample}, scaled): "
        f"{loop / tested:.1f}x (target > 1x)"
    )


def matrix_permutations(p: int, n: int, n_permutations: int) -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, p))
    X[:, 1::2] += X[:, 0::2][:, : X[:, 1::2].shape[1]]
    fastmi.pairwise_test(X[:200, :4], n_permutations=2, progress=False)  # compile
    tested = best_of(lambda: fastmi.pairwise_test(X, n_permutations=n_permutations))
    sample = min(n_permutations, 5)
    # The loop a user would write: the matrix of the data, then of permuted copies
    # (each column on its own). Permuted columns are independent, which costs KSG
    # more than the dependent originals, so they are timed as such.
    perm_rng = np.random.default_rng(2)
    copies = [np.column_stack([perm_rng.permutation(c) for c in X.T]) for _ in range(sample)]
    original = best_of(lambda: fastmi.pairwise_mi(X, progress=False))
    permuted = best_of(lambda: [fastmi.pairwise_mi(c, progress=False) for c in copies])
    plain = original + permuted * n_permutations / sample
    print(
        f"pairwise_test KSG, P = {p}, N = {n:,}, {n_permutations} permutations: "
        f"{tested:.1f} s; {n_permutations} + 1 matrices {plain:.1f} s (timed {sample}, "
        f"scaled): {plain / tested:.2f}x (target > 1x)"
    )


def analytic_overhead(p: int, n: int) -> None:
    rng = np.random.default_rng(2)
    cases = {
        "discrete, 8 levels": (rng.integers(0, 8, size=(n, p)), "discrete"),
        "gcmi": (rng.normal(size=(n, p)), "gcmi"),
    }
    for name, (X, method) in cases.items():
        fastmi.pairwise_test(X[:, :3], method=method, null="analytic")  # compile
        plain = best_of(lambda X=X, m=method: fastmi.pairwise_mi(X, method=m, progress=False), 3)
        tested = best_of(
            lambda X=X, m=method: fastmi.pairwise_test(X, method=m, null="analytic"), 3
        )
        print(
            f"analytic null, {name}, P = {p:,}, N = {n:,}: pairwise_test {tested:.2f} s, "
            f"pairwise_mi {plain:.2f} s: {tested / plain - 1:+.1%} (target < +5 %)"
        )


def coverage(n: int, repeats: int, n_resamples: int) -> None:
    rng = np.random.default_rng(3)
    for method in ("ksg", "gcmi"):
        cells = []
        for rho in (0.0, 0.3, 0.6, 0.9):
            truth = -0.5 * np.log(1 - rho**2)
            hits = 0
            for _ in range(repeats):
                x = rng.normal(size=n)
                y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=n)
                interval = fastmi.mi_ci(x, y, method=method, n_resamples=n_resamples)
                hits += interval.low <= truth <= interval.high
            cells.append(f"rho {rho}: {hits / repeats:.0%}")
        print(
            f"mi_ci coverage (95 % nominal), {method}, N = {n:,}, {repeats} samples: "
            + ", ".join(cells)
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    args = parser.parse_args(argv)
    if args.quick:
        single_pair(300, 20)
        matrix_permutations(6, 200, 3)
        analytic_overhead(20, 2000)
        coverage(200, 3, 20)
        return
    single_pair(10_000, 1000)
    matrix_permutations(40, 2000, 100)
    analytic_overhead(1000, 10_000)
    coverage(1000, 200, 200)


if __name__ == "__main__":
    main()
