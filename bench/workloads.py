"""What bench/compare.py times: the sizes, the records of a run, and one function per
workload (RUNNERS, by --only name). compare.py's docstring says what each workload does."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from timing import best_time, disagreement, join, numba_threads, optional

import fastmi

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # the bare counting loop (yardstick.py)

WORKLOADS = (
    "ksg-pair",
    "ksg-multi",
    "ksg-ties",
    "discrete-pair",
    "cold-start",
    "ksg-all",
    "discrete-all",
    "target",
)
PAIR_THREADS = 1
ALL_THREADS = 2

SKLEARN = "scikit-learn mutual_info_regression"
ENNEMI = "ennemi estimate_mi"
NPEET = "NPEET mi (npeet-plus)"
CKDTREE = "KSG on scipy cKDTree"
SKLEARN_LOOP = "scikit-learn mutual_info_regression loop"
ENNEMI_PAIRWISE = "ennemi pairwise_mi"


@dataclass(frozen=True)
class Sizes:
    """Workload sizes; QUICK shrinks every one so that the whole path runs in seconds."""

    repeat: int = 7
    peer_repeat: int = 3
    peer_budget: float = 3.0  # seconds of repeated peer runs before stopping early
    ksg_pair_n: tuple[int, ...] = (10**3, 10**4, 10**5)
    discrete_pair_n: tuple[int, ...] = (10**4, 10**5, 10**6)
    ksg_all_n: int = 5_000
    ksg_all_p: tuple[int, ...] = (25, 50, 100, 200)
    ennemi_columns: int = 25  # ennemi.pairwise_mi is timed on this many columns at most
    fastmi_budget: float = 10.0  # seconds of repeated all-pairs fastmi runs per P
    loop_budget: float = 8.0  # seconds of scikit-learn loop calls per P (at least 2 calls)
    projection: tuple[int, int, int] = (10_000, 1_000, 16)  # N, P, columns measured
    discrete_all: tuple[int, int] = (10_000, 1_000)  # N, P
    discrete_levels: tuple[int, ...] = (2, 8, 16)
    score_loop_pairs: int = 200
    target: tuple[int, int] = (10_000, 100)  # N, P
    multi_n: tuple[int, ...] = (10_000, 50_000, 100_000)
    multi_dims: tuple[int, ...] = (2, 5)
    ckdtree_max_n: int = 50_000  # the cKDTree KSG takes minutes beyond
    ties_n: int = 300_000


FULL = Sizes()
QUICK = Sizes(
    repeat=1,
    peer_repeat=1,
    peer_budget=0.0,
    ksg_pair_n=(100, 200, 400),  # under 512: one sorting kernel to compile (fastmi._config)
    discrete_pair_n=(1_000, 2_000),
    ksg_all_n=300,
    ksg_all_p=(4, 8),
    ennemi_columns=6,
    loop_budget=0.0,
    fastmi_budget=0.0,
    projection=(400, 50, 6),
    discrete_all=(500, 20),
    score_loop_pairs=10,
    target=(400, 5),
    multi_n=(300, 600),
    ckdtree_max_n=600,
    ties_n=3_000,
)


@dataclass
class Row:
    workload: str
    threads: int
    fastmi: float  # seconds
    peer: str = ""  # empty: no peer (the row is fastmi alone)
    peer_time: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.peer_time is None else self.peer_time / self.fastmi


@dataclass
class Point:
    x: int
    seconds: float
    measured: bool  # False: scaled from a subset of the pairs


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    vs_n: dict[str, list[Point]] = field(default_factory=dict)  # one KSG pair, 1 thread
    vs_p: dict[str, list[Point]] = field(default_factory=dict)  # all-pairs KSG, 2 threads
    ksg_all_n: int = 0
    # Called with each row as it is added: the command line prints it.
    on_add: Callable[[Row], None] | None = field(default=None, repr=False, compare=False)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if self.on_add is not None:
            self.on_add(row)

    def point(self, curves: dict, name: str, x: int, seconds: float, measured=True) -> None:
        curves.setdefault(name, []).append(Point(x, seconds, measured))


def gaussian_pair(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x, x + rng.normal(size=n)


def labels(n, levels=8, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, n)
    return x, (x + rng.integers(0, 3, n)) % levels


def continuous_table(n, p, seed=0):
    """Independent normal columns, each odd column correlated with the one before it."""
    X = np.random.default_rng(seed).normal(size=(n, p))
    X[:, 1::2] += X[:, ::2]
    return X


def unit_variance(v):
    return (v - v.mean()) / v.std()


def ksg_pair_workloads(sizes: Sizes, results: Results) -> None:
    feature_selection = optional("sklearn.feature_selection")
    ennemi = optional("ennemi")
    npeet = optional("npeet_plus")
    peers = {}
    if feature_selection is not None:
        peers[SKLEARN] = lambda x, y: feature_selection.mutual_info_regression(
            x[:, None], y, n_neighbors=3
        )[0]
    if ennemi is not None:
        peers[ENNEMI] = lambda x, y: ennemi.estimate_mi(y, x, k=3, max_threads=1)[0, 0]
    if optional("scipy.spatial") is not None:
        peers[CKDTREE] = ckdtree_ksg
    if npeet is not None:
        # NPEET does not scale to unit variance itself; scaling is part of the estimate.
        peers[NPEET] = lambda x, y: npeet.mi(
            unit_variance(x)[:, None], unit_variance(y)[:, None], k=3, base=np.e
        )
    one_thread = {}
    with numba_threads(PAIR_THREADS):
        for n in sizes.ksg_pair_n:
            x, y = gaussian_pair(n)
            ours, value = best_time(fastmi.mi, x, y, repeat=sizes.repeat)
            one_thread[n] = ours
            results.point(results.vs_n, "fastmi", n, ours)
            for name, peer in peers.items():
                theirs, their_value = best_time(
                    peer,
                    x,
                    y,
                    repeat=sizes.peer_repeat,
                    warmup=False,
                    budget=sizes.peer_budget,
                )
                results.point(results.vs_n, name, n, theirs)
                # Same estimate; at 1e5 samples the 1e-10 jitters can reorder near-ties.
                note = disagreement(value, their_value, 1e-4)
                results.add(Row(f"KSG MI, one pair, N = {n:,}", 1, ours, name, theirs, note))
    n = max(sizes.ksg_pair_n)
    x, y = gaussian_pair(n)
    with numba_threads(ALL_THREADS):
        two, _ = best_time(fastmi.mi, x, y, repeat=sizes.repeat)
    results.add(
        Row(
            f"KSG MI, one pair, N = {n:,}, 2 threads vs 1",
            2,
            two,
            "fastmi, 1 thread",
            one_thread[n],
        )
    )


def ckdtree_ksg(x, y, k=3, seed=0):
    """KSG algorithm 1 on scipy's cKDTree (max-norm): a k+1 query in the joint space,
    then ball counts strictly within the k-th distance in each marginal; columns scaled
    to unit variance and jittered by 1e-10, as fastmi and scikit-learn do."""
    spatial, special = optional("scipy.spatial"), optional("scipy.special")
    rng = np.random.default_rng(seed)

    def prepared(v):
        v = np.asarray(v, dtype=float).reshape(len(v), -1)
        v = (v - v.mean(axis=0)) / v.std(axis=0)
        return v + 1e-10 * rng.normal(size=v.shape)

    x, y = prepared(x), prepared(y)
    n = len(x)
    joint = np.hstack([x, y])
    eps = spatial.cKDTree(joint).query(joint, k + 1, p=np.inf)[0][:, -1]
    below = np.nextafter(eps, 0)  # query_ball_point counts <= r: strictly within eps
    counts = [
        spatial.cKDTree(v).query_ball_point(v, below, p=np.inf, return_length=True) - 1
        for v in (x, y)
    ]
    psi = special.digamma
    return psi(k) + psi(n) - np.mean(psi(counts[0] + 1) + psi(counts[1] + 1))


def noisy_copy(n, d, seed=0):
    """x of shape (n, d) and y = x + noise: multivariate variables with MI ~ d * 0.8."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    return x, x + 0.5 * rng.normal(size=(n, d))


def ksg_multi_workloads(sizes: Sizes, results: Results) -> None:
    have_scipy = optional("scipy.spatial") is not None
    with numba_threads(PAIR_THREADS):
        for d in sizes.multi_dims:
            times = {}
            for n in sizes.multi_n:
                x, y = noisy_copy(n, d)
                ours, value = best_time(fastmi.mi, x, y, repeat=min(sizes.repeat, 3))
                times[n] = ours
                row = Row(f"KSG MI, x and y of {d} columns each, N = {n:,}", 1, ours)
                if n > min(sizes.multi_n):
                    growth = ours / times[min(sizes.multi_n)]
                    row.note = f"{growth:.1f}x the time at N = {min(sizes.multi_n):,}"
                if have_scipy and n <= sizes.ckdtree_max_n:
                    theirs, their_value = best_time(ckdtree_ksg, x, y, repeat=1, warmup=False)
                    row.peer, row.peer_time = CKDTREE, theirs
                    row.note = join(row.note, disagreement(value, their_value, 1e-2))
                results.add(row)


def tied_block(n, share=0.999, seed=0):
    """scikit-learn #30772: 99.9 % of the samples equal to 5.0, the rest normal."""
    rng = np.random.default_rng(seed)
    x = np.full(n, 5.0)
    rest = rng.random(n) >= share
    x[rest] = rng.normal(size=rest.sum())
    return x


def ksg_ties_workloads(sizes: Sizes, results: Results) -> None:
    """The tied column against a 1 % label and against a normal column, each beside the
    same partner with a tie-free column: ratio = tie-free time / tied time."""
    n = sizes.ties_n
    rng = np.random.default_rng(1)
    partners = {
        "a 1 % label": (rng.random(n) < 0.01).astype(float),
        "a normal column": rng.normal(size=n),
    }
    tied, free = tied_block(n), rng.normal(size=n)
    with numba_threads(PAIR_THREADS), warnings.catch_warnings():
        warnings.simplefilter("ignore", fastmi.TiesWarning)
        for name, partner in partners.items():
            ours, _ = best_time(fastmi.mi, tied, partner, repeat=min(sizes.repeat, 3))
            theirs, _ = best_time(fastmi.mi, free, partner, repeat=min(sizes.repeat, 3))
            results.add(
                Row(
                    f"KSG MI, 99.9 % tied column vs {name}, N = {n:,}",
                    1,
                    ours,
                    "fastmi, a tie-free column",
                    theirs,
                )
            )


def discrete_pair_workloads(sizes: Sizes, results: Results) -> None:
    metrics = optional("sklearn.metrics")
    with numba_threads(PAIR_THREADS):
        for kind in ["int", "str"]:
            for n in sizes.discrete_pair_n:
                x, y = labels(n)
                if kind == "str":
                    x, y = x.astype(str), y.astype(str)
                ours, value = best_time(fastmi.mi, x, y, repeat=sizes.repeat)
                row = Row(f"discrete MI, one pair, {kind} labels, N = {n:,}", 1, ours)
                if metrics is not None:
                    theirs, their_value = best_time(
                        metrics.mutual_info_score,
                        x,
                        y,
                        repeat=sizes.repeat,
                        warmup=False,
                        budget=sizes.peer_budget,
                    )
                    row.peer, row.peer_time = "scikit-learn mutual_info_score", theirs
                    row.note = disagreement(value, their_value, 1e-10)
                results.add(row)


def fresh_process_seconds() -> tuple[float, float]:
    """(import fastmi, first fastmi.mi call) in a new interpreter, the Numba cache warm:
    the second of two runs is timed, so the first one has filled the cache."""
    code = (
        "import time; t0 = time.perf_counter(); import fastmi; t1 = time.perf_counter(); "
        "fastmi.mi([0, 1, 1], [1, 0, 1]); print(t1 - t0, time.perf_counter() - t1)"
    )
    env = dict(os.environ)
    root = str(Path(fastmi.__file__).resolve().parent.parent)  # the fastmi being measured
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    cache_off = os.environ.get("FASTMI_NUMBA_CACHE", "1") == "0"
    for _ in range(1 if cache_off else 2):  # with the cache off there is nothing to warm
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
        ).stdout
    first_import, first_call = map(float, out.split())
    return first_import, first_call


def cold_start_workloads(sizes: Sizes, results: Results) -> None:
    first_import, first_call = fresh_process_seconds()
    cache = (
        "off (FASTMI_NUMBA_CACHE=0): compiles"
        if os.environ.get("FASTMI_NUMBA_CACHE", "1") == "0"
        else "warm Numba cache"
    )
    results.add(Row("import fastmi, fresh process", 1, first_import, note="target < 0.5 s"))
    results.add(
        Row("first fastmi.mi call, fresh process", 1, first_call, note=f"{cache}; target < 1 s")
    )


def sklearn_loop(feature_selection, X, budget: float):
    """Time the loop users write, one mutual_info_regression call per column, until the
    budget is spent (at least 2 calls); returns (seconds for all P calls, calls timed,
    their results as rows of the MI matrix)."""
    p = X.shape[1]
    rows = []
    start = time.perf_counter()
    for j in range(p):
        rows.append(feature_selection.mutual_info_regression(X, X[:, j], n_jobs=ALL_THREADS))
        if len(rows) >= 2 and time.perf_counter() - start > budget:
            break
    elapsed = time.perf_counter() - start
    return elapsed / len(rows) * p, len(rows), np.array(rows)


def ksg_all_workloads(sizes: Sizes, results: Results) -> None:
    feature_selection = optional("sklearn.feature_selection")
    ennemi = optional("ennemi")
    n = sizes.ksg_all_n
    results.ksg_all_n = n
    X = continuous_table(n, max(sizes.ksg_all_p))
    with numba_threads(ALL_THREADS):
        fastmi.pairwise_mi(X[:, : min(sizes.ksg_all_p)])  # compile outside the timer
        if feature_selection is not None:  # start joblib's worker processes untimed
            feature_selection.mutual_info_regression(X[:50, :2], X[:50, 0], n_jobs=ALL_THREADS)
        ennemi_pair_seconds = ennemi_columns = ennemi_matrix = None
        if ennemi is not None:  # per-pair cost, measured once on a subset of the columns
            ennemi_columns = min(sizes.ennemi_columns, max(sizes.ksg_all_p))
            subset = X[:, :ennemi_columns]
            seconds, ennemi_matrix = best_time(
                lambda: ennemi.pairwise_mi(subset, k=3, max_threads=ALL_THREADS),
                repeat=1,
                warmup=False,
            )
            ennemi_pair_seconds = seconds / n_pairs(ennemi_columns)
        for p in sizes.ksg_all_p:
            Xp = np.ascontiguousarray(X[:, :p])
            ours, matrix = best_time(
                fastmi.pairwise_mi,
                Xp,
                repeat=sizes.repeat,
                warmup=False,
                budget=sizes.fastmi_budget,
            )
            results.point(results.vs_p, "fastmi", p, ours)
            name = f"all-pairs KSG, P = {p:,}, N = {n:,}"
            if feature_selection is not None:
                theirs, calls, rows = sklearn_loop(feature_selection, Xp, sizes.loop_budget)
                measured = calls == p
                results.point(results.vs_p, SKLEARN_LOOP, p, theirs, measured)
                note = join(
                    "" if measured else f"scaled from {calls} of {p} calls (one per column)",
                    "computes each pair twice",
                    disagreement(np.maximum(matrix[:calls], 0), rows, 1e-4),
                )
                results.add(Row(name, ALL_THREADS, ours, SKLEARN_LOOP, theirs, note))
            if ennemi is not None:
                theirs = ennemi_pair_seconds * n_pairs(p)
                measured = ennemi_columns >= p
                results.point(results.vs_p, ENNEMI_PAIRWISE, p, theirs, measured)
                m = min(ennemi_columns, p)
                note = join(
                    ""
                    if measured
                    else (
                        f"scaled from {ennemi_columns} of {p} columns "
                        f"({n_pairs(ennemi_columns):,} of {n_pairs(p):,} pairs)"
                    ),
                    disagreement(matrix[:m, :m], ennemi_matrix[:m, :m], 1e-4),
                )
                results.add(Row(name, ALL_THREADS, ours, ENNEMI_PAIRWISE, theirs, note))
        ksg_projection(sizes, results, feature_selection)


def n_pairs(p: int) -> int:
    return p * (p - 1) // 2


def ksg_projection(sizes: Sizes, results: Results, feature_selection) -> None:
    """All-pairs KSG at a size too large to run here, from per-pair costs measured on a
    few columns of the same length (fastmi's P x P / 2 pairs; the loop's P x P calls)."""
    n, p, columns = sizes.projection
    X = continuous_table(n, columns, seed=1)
    ours, _ = best_time(fastmi.pairwise_mi, X, repeat=1)
    ours = ours / n_pairs(columns) * n_pairs(p)
    row = Row(
        f"all-pairs KSG, P = {p:,}, N = {n:,} (projected)",
        ALL_THREADS,
        ours,
        note=f"projected per pair from {columns} columns of {n:,}",
    )
    if feature_selection is not None:
        loop, calls, _ = sklearn_loop(feature_selection, X, budget=0.0)
        row.peer, row.peer_time = SKLEARN_LOOP, loop / columns**2 * p**2
    results.add(row)


def discrete_all_workloads(sizes: Sizes, results: Results) -> None:
    from yardstick import all_pairs, bare_counting_loop

    metrics = optional("sklearn.metrics")
    n, p = sizes.discrete_all
    rng = np.random.default_rng(0)
    pairs = all_pairs(p)
    with numba_threads(ALL_THREADS):
        for levels in sizes.discrete_levels:
            X = rng.integers(0, levels, size=(n, p))
            # Warm up on the whole table: its size picks kernels that a small one does not.
            ours, matrix = best_time(fastmi.pairwise_mi, X, repeat=2)
            codes = np.ascontiguousarray(X.T, dtype=np.int64)
            out = np.empty(len(pairs))
            bare_counting_loop(codes, levels, pairs[:2], out[:2])
            bare, _ = best_time(bare_counting_loop, codes, levels, pairs, out, repeat=2)
            name = f"all-pairs discrete, P = {p:,}, N = {n:,}, {levels} levels"
            results.add(
                Row(
                    name,
                    ALL_THREADS,
                    ours,
                    "bare counting loop (yardstick.py)",
                    bare,
                    "counts the joint tables only",
                )
            )
        if metrics is not None:  # the last, most levels
            timed = min(sizes.score_loop_pairs, len(pairs))
            start = time.perf_counter()
            theirs = [metrics.mutual_info_score(X[:, i], X[:, j]) for i, j in pairs[:timed]]
            loop = (time.perf_counter() - start) / timed * len(pairs)
            ours_values = matrix[pairs[:timed, 0], pairs[:timed, 1]]
            note = join(
                f"scaled from {timed:,} of {len(pairs):,} pairs; peer 1 thread",
                disagreement(ours_values, theirs, 1e-10),
            )
            results.add(
                Row(name, ALL_THREADS, ours, "scikit-learn mutual_info_score loop", loop, note)
            )


def target_workloads(sizes: Sizes, results: Results) -> None:
    feature_selection = optional("sklearn.feature_selection")
    n, p = sizes.target
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, p))
    y = X[:, 0] + X[:, 1] ** 2 + rng.normal(size=n)
    with numba_threads(ALL_THREADS):
        fastmi.mi_with_target(X[:100, :2], y[:100])  # compile outside the timer
        ours, values = best_time(fastmi.mi_with_target, X, y, repeat=2, warmup=False)
        row = Row(f"MI with a target, P = {p:,}, N = {n:,}", ALL_THREADS, ours)
        if feature_selection is not None:
            feature_selection.mutual_info_regression(X[:50, :2], y[:50], n_jobs=ALL_THREADS)
            theirs, their_values = best_time(
                lambda: feature_selection.mutual_info_regression(X, y, n_jobs=ALL_THREADS),
                repeat=1,
                warmup=False,
            )
            row.peer = "scikit-learn mutual_info_regression"
            row.peer_time = theirs
            row.note = disagreement(np.maximum(values, 0), their_values, 1e-4)
        results.add(row)


RUNNERS = {
    "ksg-pair": ksg_pair_workloads,
    "ksg-multi": ksg_multi_workloads,
    "ksg-ties": ksg_ties_workloads,
    "discrete-pair": discrete_pair_workloads,
    "cold-start": cold_start_workloads,
    "ksg-all": ksg_all_workloads,
    "discrete-all": discrete_all_workloads,
    "target": target_workloads,
}
