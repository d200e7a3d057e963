"""Time fastmi and its peers side by side in one run, print the ratios, write the report.

    python bench/compare.py                      # every workload; prints the table
    python bench/compare.py --report             # ... and writes docs/benchmarks.md + PNGs
    python bench/compare.py --quick --report --docs-dir /tmp/bench   # tiny sizes, seconds
    python bench/compare.py --only ksg-pair,ksg-all                   # some workloads

Workloads (--only names in brackets):

- [ksg-pair] KSG MI of one pair at N = 1e3, 1e4, 1e5 on one thread, against
  scikit-learn's mutual_info_regression, ennemi.estimate_mi and NPEET's mi (the
  npeet-plus package), each where installed; the 1e5 pair on 2 threads against 1.
- [discrete-pair] discrete MI of one pair of integer or string labels at N = 1e4, 1e5,
  1e6, one thread, against scikit-learn's mutual_info_score.
- [cold-start] import fastmi, and its first call, in a fresh process (warm Numba cache).
- [ksg-all] all-pairs KSG on 2 threads at N = 5,000 for P = 25, 50, 100, 200 columns,
  against the scikit-learn loop (mutual_info_regression(X, X[:, j], n_jobs=2) for each
  column j) and ennemi.pairwise_mi(max_threads=2); the P = 1,000, N = 1e4 run projected
  from a per-pair cost.
- [discrete-all] all-pairs discrete on 2 threads at P = 1,000, N = 1e4 with 2, 8 and 16
  levels, against the bare counting loop (yardstick.py) and a mutual_info_score loop.
- [target] mi_with_target at P = 100, N = 1e4, 2 threads, against
  mutual_info_regression(n_jobs=2).

Ratios are peer time / fastmi time. Each fastmi time is the best of --repeat runs after
one warm-up call (Numba compile time is excluded; the cold-start rows measure it). Peers
have no compile step: their first run is timed too, and slow peers run fewer times
(stopping once a time budget is spent). Peers too slow to run in full are timed on a
subset of the same pairs and scaled per pair; the note column says so.

--report writes DOCS_DIR/benchmarks.md (machine, versions, threads, date, the command,
the table) and two log-log plots, DOCS_DIR/_static/benchmarks_vs_n.png (time against N,
one KSG pair) and DOCS_DIR/_static/benchmarks_vs_p.png (time against P, all-pairs KSG).
DOCS_DIR defaults to the repository's docs/. --quick runs every workload at tiny sizes
(seconds in total, for the test in bench_compare.py); its numbers mean nothing, so it
refuses to write the report into the default docs/.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib
import importlib.metadata
import os
import platform
import shlex
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numba
import numpy as np

import fastmi

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))  # the bare counting loop (yardstick.py)

WORKLOADS = ("ksg-pair", "discrete-pair", "cold-start", "ksg-all", "discrete-all", "target")
PAIR_THREADS = 1
ALL_THREADS = 2

SKLEARN = "scikit-learn mutual_info_regression"
ENNEMI = "ennemi estimate_mi"
NPEET = "NPEET mi (npeet-plus)"
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

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(format_row(row), flush=True)

    def point(self, curves: dict, name: str, x: int, seconds: float, measured=True) -> None:
        curves.setdefault(name, []).append(Point(x, seconds, measured))


# --- timing helpers -------------------------------------------------------------------


def best_time(function, *args, repeat: int, warmup: bool = True, budget: float = np.inf):
    """Best wall time of up to `repeat` calls, and the last call's result.

    With warmup, one untimed call first (compiles Numba code). The loop stops early once
    the timed calls add up to more than `budget` seconds (always at least one call).
    """
    if warmup:
        function(*args)
    best, spent = np.inf, 0.0
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = function(*args)
        elapsed = time.perf_counter() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent > budget:
            break
    return best, result


@contextmanager
def numba_threads(n: int):
    previous = numba.get_num_threads()
    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def disagreement(ours, theirs, tol: float) -> str:
    """A note when fastmi and a peer do not compute the same numbers (empty if they do)."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    mask = np.isfinite(ours) & np.isfinite(theirs)
    diff = float(np.max(np.abs(ours[mask] - theirs[mask]), initial=0.0))
    return "" if diff <= tol else f"values differ by up to {diff:.1e}!"


def join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


# --- formatting ---------------------------------------------------------------------------


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"


def fmt_tick(seconds: float) -> str:
    """A log-axis tick: µs and ms below a second, whole seconds above (no '16.7 min')."""
    return fmt_time(seconds) if seconds < 1 else f"{seconds:,.0f} s"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.1f}x" if ratio >= 10 else f"{ratio:.2f}x"


def format_row(row: Row) -> str:
    return (
        f"{row.workload:<48} {row.threads:>2} {fmt_time(row.fastmi):>10}  "
        f"{row.peer or '-':<40} {fmt_time(row.peer_time):>10} {fmt_ratio(row.ratio):>7}"
        f"  {row.note}"
    )


HEADER = (
    f"{'workload':<48} {'th':>2} {'fastmi':>10}  {'peer':<40} {'peer time':>10} {'ratio':>7}  note"
)


# --- workloads ----------------------------------------------------------------------------


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
    "discrete-pair": discrete_pair_workloads,
    "cold-start": cold_start_workloads,
    "ksg-all": ksg_all_workloads,
    "discrete-all": discrete_all_workloads,
    "target": target_workloads,
}


# --- the report ---------------------------------------------------------------------------


def _field(path: str, prefix: str) -> str | None:
    """What follows ``prefix`` on the first line of a system file that starts with it."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line[len(prefix) :]
    except OSError:
        pass
    return None


def machine() -> list[tuple[str, str]]:
    cpu = _field("/proc/cpuinfo", "model name")
    cpu = cpu.split(":", 1)[1].strip() if cpu else platform.processor() or platform.machine()
    ram = _field("/proc/meminfo", "MemTotal:")
    ram = f"{int(ram.split()[0]) / 2**20:.1f} GiB" if ram else "unknown"
    system = platform.platform()
    pretty = _field("/etc/os-release", "PRETTY_NAME=")
    if pretty:
        system = f"{pretty.strip().strip(chr(34))} ({system})"
    return [
        ("CPU", cpu),
        ("cores", f"{os.cpu_count()} (Numba threads available: {numba.config.NUMBA_NUM_THREADS})"),
        ("RAM", ram),
        ("OS", system),
        ("Python", platform.python_version()),
    ]


def versions() -> list[tuple[str, str]]:
    out = []
    for label, dist in [
        ("fastmi", "fastmi"),
        ("numba", "numba"),
        ("numpy", "numpy"),
        ("scikit-learn", "scikit-learn"),
        ("ennemi", "ennemi"),
        ("NPEET (npeet-plus)", "npeet-plus"),
    ]:
        try:
            version = fastmi.__version__ if dist == "fastmi" else importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed (its rows are missing)"
        out.append((label, version))
    return out


HOW_IT_IS_TIMED = """\
- Each fastmi time is the best of several runs after one warm-up call, so Numba's
  compile time is excluded; the two fresh-process rows measure start-up instead. Peers
  compile nothing: their first run counts, and a slow peer runs fewer times.
- Threads: the one-pair workloads run on {pair} (Numba threads set to {pair}; the peers
  are single-threaded). The all-pairs and target workloads run on {all}: Numba threads
  for fastmi and the bare loop, `n_jobs={all}` for scikit-learn, `max_threads={all}` for
  ennemi. The `th` column gives fastmi's threads; the note says when a peer uses fewer.
- KSG everywhere: k = 3, max-norm, each variable scaled to unit variance, 1e-10 jitter
  (NPEET does not scale, so it is handed scaled data inside the timed call). One pair:
  x normal, y = x + normal noise. All pairs: independent normal columns, each odd
  column made dependent on the one before it. Discrete one pair: 8 levels,
  y = x + (0, 1 or 2) mod 8; all pairs: independent uniform columns.
- Peers too slow to run in full are timed on a subset of the same pairs and scaled
  per pair; the note says how many. The scikit-learn loop is the one users write,
  `mutual_info_regression(X, X[:, j], n_jobs={all})` for each column j, which
  computes every pair twice (a loop over one triangle would take about half as long).
  Rows marked *projected* scale per-pair costs measured on a few columns.
- Every peer's values are checked against fastmi's in the same run (to 1e-4 for KSG,
  whose jitter differs between libraries; 1e-10 for discrete); a mismatch would show
  in the note.
- The machine may be shared with other work, so absolute times are noisy; the load
  average above tells how busy it was.
"""


def md_cell(text: str) -> str:
    return text.replace("|", "\\|") if text else "-"


def write_report(results: Results, docs_dir: Path, meta: dict) -> Path:
    static = docs_dir / "_static"
    static.mkdir(parents=True, exist_ok=True)
    plot_vs_n(results, static / "benchmarks_vs_n.png")
    plot_vs_p(results, static / "benchmarks_vs_p.png")
    lines = [
        "# Benchmarks",
        "",
        "fastmi timed against the mutual information estimators in use today, side by",
        "side in one run of `bench/compare.py` on one machine. The **ratio** is the peer's",
        "time divided by fastmi's: 10x means fastmi took a tenth of the time.",
    ]
    if meta["quick"]:
        lines += [
            "",
            "**This page comes from a `--quick` run: tiny sizes that only check that the",
            "script works. Its times and ratios mean nothing.**",
        ]
    busy = meta["load"][0] > 0.5 * (os.cpu_count() or 1)  # at the end it counts this run
    if busy and not meta["quick"]:
        lines += [
            "",
            "**The machine was busy during this run (see the load average below): other",
            "work competed for the cores, so times are inflated and noisy, the two-thread",
            "ones most.**",
        ]
    lines += [
        "",
        "## Machine and software",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {md_cell(value)} |" for key, value in machine() + versions()),
        f"| date | {meta['date']} |",
        f"| load average (1 min) before / after the run, which adds to it | "
        f"{meta['load'][0]:.2f} / {meta['load'][1]:.2f} |",
        f"| wall time of the run | {fmt_time(meta['seconds'])} |",
        "",
        "Command, from the repository root:",
        "",
        "```bash",
        meta["command"],
        "```",
        "",
        "## How it is timed",
        "",
        *HOW_IT_IS_TIMED.format(pair=PAIR_THREADS, all=ALL_THREADS).splitlines(),
        "",
        "## Results",
        "",
        "| workload | th | fastmi | peer | peer time | ratio | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results.rows:
        cells = [
            row.workload,
            str(row.threads),
            fmt_time(row.fastmi),
            row.peer,
            fmt_time(row.peer_time),
            fmt_ratio(row.ratio),
            row.note,
        ]
        lines.append("| " + " | ".join(md_cell(cell) for cell in cells) + " |")
    lines += [
        "",
        "## Time against the number of samples",
        "",
        "KSG MI of one pair, one thread, log-log axes.",
        "",
        "![KSG MI of one pair: time against N, fastmi and its peers, log-log]"
        "(_static/benchmarks_vs_n.png)",
        "",
        "## Time against the number of columns",
        "",
        f"All-pairs KSG at N = {results.ksg_all_n:,}, two threads, log-log axes. Hollow",
        "markers are peer times scaled per pair from a subset of the columns.",
        "",
        "![All-pairs KSG: time against P, fastmi and its peers, log-log]"
        "(_static/benchmarks_vs_p.png)",
        "",
    ]
    page = docs_dir / "benchmarks.md"
    page.write_text("\n".join(lines))
    return page


COLORS = {
    "fastmi": "C0",
    SKLEARN: "C1",
    SKLEARN_LOOP: "C1",
    ENNEMI: "C2",
    ENNEMI_PAIRWISE: "C2",
    NPEET: "C3",
}
MARKERS = {
    "fastmi": "o",
    SKLEARN: "s",
    SKLEARN_LOOP: "s",
    ENNEMI: "^",
    ENNEMI_PAIRWISE: "^",
    NPEET: "D",
}


def plot_curves(curves, path: Path, title: str, xlabel: str, hollow_note: bool) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import (
        FixedLocator,
        FuncFormatter,
        LogLocator,
        NullFormatter,
        NullLocator,
    )

    figure = Figure(figsize=(6.4, 4.4), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    for name, points in curves.items():
        color, marker = COLORS.get(name, "C7"), MARKERS.get(name, "x")
        xs = [point.x for point in points]
        ys = [point.seconds for point in points]
        ax.plot(xs, ys, "-", color=color, label=name, marker=marker, markersize=0)
        for point in points:
            ax.plot(
                point.x,
                point.seconds,
                linestyle="none",
                marker=marker,
                color=color,
                markerfacecolor=color if point.measured else "white",
                markersize=6,
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Ticks at the measured sizes, and time in readable units (1 ms, 10 s, ...).
    sizes = sorted({point.x for points in curves.values() for point in points})
    ax.xaxis.set_major_locator(FixedLocator(sizes))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
    ax.xaxis.set_minor_locator(NullLocator())
    times = [point.seconds for points in curves.values() for point in points]
    narrow = max(times) < 100 * min(times)  # under two decades: label 1, 2, 5 x 10^k too
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1, 2, 5) if narrow else (1,)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: fmt_tick(y)))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(xlabel)
    ax.set_ylabel("wall time (log scale)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.4)
    ax.grid(True, which="minor", alpha=0.12)
    handles, names = ax.get_legend_handles_labels()
    handles = [
        Line2D([], [], color=h.get_color(), marker=MARKERS.get(n, "x"), markersize=6)
        for h, n in zip(handles, names)
    ]
    if hollow_note and any(not p.measured for points in curves.values() for p in points):
        handles.append(
            Line2D([], [], color="0.4", marker="o", markerfacecolor="white", linestyle="none")
        )
        names.append("hollow: scaled per pair from a subset")
    ax.legend(handles, names, fontsize=7.5, loc="best")
    figure.savefig(path)


def plot_vs_n(results: Results, path: Path) -> None:
    plot_curves(
        results.vs_n,
        path,
        "KSG MI of one pair (k = 3), 1 thread",
        "samples N (log scale)",
        hollow_note=False,
    )


def plot_vs_p(results: Results, path: Path) -> None:
    plot_curves(
        results.vs_p,
        path,
        f"All-pairs KSG MI (k = 3), N = {results.ksg_all_n:,}, {ALL_THREADS} threads",
        "columns P, P(P-1)/2 pairs (log scale)",
        hollow_note=True,
    )


# --- command line -------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[1:]),
    )
    parser.add_argument(
        "--report", action="store_true", help="write DOCS_DIR/benchmarks.md and its two PNGs"
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=None,
        help="where --report writes (default: the repository's docs/)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes: checks the whole path in seconds"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help=f"timed runs of each fastmi call (default {FULL.repeat})",
    )
    parser.add_argument(
        "--only",
        default=",".join(WORKLOADS),
        help=f"comma-separated workloads (default all: {','.join(WORKLOADS)})",
    )
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(WORKLOADS))
    if unknown:
        parser.error(
            f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}"
        )
    if args.quick and args.report and args.docs_dir is None:
        parser.error(
            "--quick numbers mean nothing; pass --docs-dir to write them elsewhere than docs/"
        )
    if args.report:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("--report draws plots with matplotlib: pip install matplotlib")
    return args


def main(argv: list[str] | None = None) -> Results:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.repeat is not None:
        sizes = dataclasses.replace(sizes, repeat=args.repeat)
    start, load_start = time.perf_counter(), os.getloadavg()[0]
    meta = {
        "quick": args.quick,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "bench/compare.py", *argv]),
    }
    software = ", ".join(f"{name} {version}" for name, version in versions()[:5])
    cpu = dict(machine())
    print(f"# {cpu['CPU']}, {cpu['cores']}, Python {cpu['Python']}, {software}")
    print(HEADER)
    results = Results()
    for name in WORKLOADS:
        if name in args.only:
            RUNNERS[name](sizes, results)
    meta["seconds"] = time.perf_counter() - start
    meta["load"] = (load_start, os.getloadavg()[0])
    print(f"# {fmt_time(meta['seconds'])} in all; ratio = peer time / fastmi time")
    if args.report:
        docs_dir = args.docs_dir if args.docs_dir is not None else BENCH_DIR.parent / "docs"
        page = write_report(results, docs_dir, meta)
        print(f"# wrote {page} and its plots in {page.parent / '_static'}")
    return results


if __name__ == "__main__":
    main()
