"""Time fastmi and its peers side by side in one run, print the ratios, write the report.

    python bench/compare.py                      # every workload; prints the table
    python bench/compare.py --report             # ... and writes docs/benchmarks.md + PNGs
    python bench/compare.py --quick --report --docs-dir /tmp/bench   # tiny sizes, seconds
    python bench/compare.py --only ksg-pair,ksg-all                   # some workloads

Workloads (--only names in brackets):

- [ksg-pair] KSG MI of one pair at N = 1e3, 1e4, 1e5 on one thread, against
  scikit-learn's mutual_info_regression, ennemi.estimate_mi and NPEET's mi (the
  npeet-plus package) and a KSG on scipy's cKDTree, each where installed; the 1e5 pair
  on 2 threads against 1.
- [ksg-multi] KSG MI of x and y = x + noise, each of d = 2 and 5 columns, at N = 1e4,
  5e4, 1e5 on one thread, against a KSG on scipy's cKDTree (query in the joint space,
  query_ball_point(return_length=True) in each marginal; up to N = 5e4, beyond which
  it takes minutes); the note gives the growth of fastmi's time from N = 1e4.
- [ksg-ties] KSG MI at N = 3e5 of a column with 99.9 % of its samples equal to 5.0
  (scikit-learn #30772) against a 1 % label and against a normal column, beside the
  same with a tie-free column: the ratio is tie-free time / tied time.
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
import os
import shlex
import sys
import time
from pathlib import Path

from report import HEADER, fmt_time, format_row, machine, versions, write_report
from workloads import FULL, QUICK, RUNNERS, WORKLOADS, Results, Row

BENCH_DIR = Path(__file__).resolve().parent


def print_row(row: Row) -> None:
    """One line of the printed table, as soon as its workload has run."""
    print(format_row(row), flush=True)


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
    results = Results(on_add=print_row)
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
