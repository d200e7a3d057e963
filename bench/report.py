"""bench/compare.py's output: the printed table's rows, the machine and software it ran
on, and the report, DOCS_DIR/benchmarks.md with its two log-log plots in DOCS_DIR/_static."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
from pathlib import Path

import numba
from workloads import (
    ALL_THREADS,
    ENNEMI,
    ENNEMI_PAIRWISE,
    NPEET,
    PAIR_THREADS,
    SKLEARN,
    SKLEARN_LOOP,
    Results,
    Row,
)

import fastmi


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
- Sizes too large to run here are not in the results table: the last table projects
  them from per-pair costs measured on a few columns, and says so.
- Every peer's values are checked against fastmi's in the same run (to 1e-4 for KSG,
  whose jitter differs between libraries; 1e-10 for discrete); a mismatch would show
  in the note.
- The machine may be shared with other work, so absolute times are noisy; the load
  average above tells how busy it was.
"""


def md_cell(text: str) -> str:
    return text.replace("|", "\\|") if text else "-"


#: A row whose times are projected from a few columns, not measured (workloads.py).
PROJECTED = "(projected)"


def public_note(note: str) -> str:
    """A row's note without the project's internal targets ("target < 0.5 s"), which
    are goals of the developers, not facts about the measurement."""
    parts = [part.strip() for part in note.split(";")]
    return "; ".join(part for part in parts if part and not re.match(r"target\b", part))


def table_lines(rows) -> list[str]:
    lines = [
        "| workload | th | fastmi | peer | peer time | ratio | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [
            row.workload,
            str(row.threads),
            fmt_time(row.fastmi),
            row.peer,
            fmt_time(row.peer_time),
            fmt_ratio(row.ratio),
            public_note(row.note),
        ]
        lines.append("| " + " | ".join(md_cell(cell) for cell in cells) + " |")
    return lines


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
        "| item | value |",
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
        "Measured in this run.",
        "",
    ]
    measured = [row for row in results.rows if PROJECTED not in row.workload]
    projected = [row for row in results.rows if PROJECTED in row.workload]
    lines += table_lines(measured)
    if projected:
        lines += [
            "",
            "## Projected, not measured",
            "",
            "Sizes too large to run on this machine. Each time below is a **projection**:",
            "the per-pair cost measured in this run on a few columns of the same length,",
            "multiplied by the number of pairs (for the scikit-learn loop, of calls). It",
            "assumes that every pair costs what the measured ones did; read it as an",
            "order of magnitude.",
            "",
            *table_lines(projected),
        ]
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
