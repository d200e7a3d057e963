"""Command line: ``fastmi demo`` and ``fastmi matrix DATA``. Argument parsing only.

Errors in files, columns or options print one line (``fastmi: error: ...``) and exit
with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

import fastmi
from fastmi import info
from fastmi._options import BIN_RULES, NORMALIZATIONS
from fastmi.datasets import load_weather
from fastmi.estimators import METHODS

_CHANNEL_FLIPS = (0.0, 0.1, 0.5)
_READERS = {".csv": "read_csv", ".tsv": "read_csv", ".parquet": "read_parquet"}


class CommandError(Exception):
    """A problem with the user's files or options: reported in one line."""


def _format_matrix(names, rows) -> str:
    width = max(10, *(len(str(name)) + 2 for name in names))
    lines = [" " * width + "".join(f"{str(name):>{width}}" for name in names)]
    for name, row in zip(names, rows):
        lines.append(f"{str(name):<{width}}" + "".join(f"{value:>{width}.4f}" for value in row))
    return "\n".join(lines)


def _demo(out) -> None:
    def say(text=""):
        out.write(text + "\n")

    say("fastmi demo: exact quantities of probability tables (fastmi.info)")
    say()
    say("A fair bit through a binary symmetric channel flipping it with probability f:")
    for f in _CHANNEL_FLIPS:
        joint = [[(1 - f) / 2, f / 2], [f / 2, (1 - f) / 2]]
        say(
            f"  f = {f:<4}  I(X;Y) = {info.mutual_info(joint, base=2):.4f} bits"
            f"   H(X|Y) = {info.conditional_entropy(joint, base=2):.4f} bits"
        )
    table = [[0.35, 0.15], [0.40, 0.10]]
    say(f"The joint {table}: I(X;Y) = {info.mutual_info(table):.7f} nats")
    say()
    weather = load_weather()
    names = list(weather)
    table = np.array([weather[name] for name in names], dtype=object).T
    matrix = fastmi.pairwise_mi(table, base=2)
    say("fastmi.pairwise_mi of the 14-day weather table (Quinlan 1986), in bits;")
    say("the diagonal holds each column's entropy H(X_i):")
    say()
    say(_format_matrix(names, matrix))
    say()
    _demo_samples(say)


def _demo_samples(say) -> None:
    """Estimates from samples against their exact values. Runs the KSG, Ross and
    plug-in kernels, so that after the demo the common calls start from a warm cache."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=1000)
    y = x + 0.5 * rng.normal(size=1000)
    z = rng.normal(size=1000)
    matrix = fastmi.pairwise_mi(np.column_stack([x, y, z]), progress=False)
    say("KSG (k = 3) on 1,000 samples of x, y = x + noise / 2 and an independent z:")
    say(f"  I(x;y) = {matrix[0, 1]:.3f} nats   exact: ln(5) / 2 = {np.log(5) / 2:.3f}")
    say(f"  I(x;z) = {matrix[0, 2]:.3f} nats   exact: 0")
    sign = np.where(x > 0, "positive", "negative")
    with_sign = fastmi.mi_with_target(np.column_stack([x, z]), sign, progress=False)
    say("Ross's estimator, a continuous variable against the label sign(x):")
    say(f"  I(x;sign x) = {with_sign[0]:.3f} nats   exact: H(sign x) = ln 2 = {np.log(2):.3f}")
    say(f"  I(z;sign x) = {with_sign[1]:.3f} nats   exact: 0")


def _read_table(path: str, columns: str | None):
    try:
        import pandas as pd
    except ImportError:
        raise CommandError(
            "fastmi matrix reads tables with pandas: pip install 'fastmi[pandas]'"
        ) from None
    suffix = Path(path).suffix.lower()
    if suffix not in _READERS:
        raise CommandError(f"{path}: unknown file type {suffix!r}; use .csv, .tsv or .parquet")
    if Path(path).is_dir():
        raise CommandError(f"{path}: is a directory, not a table file")
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file")
    options = {"sep": "\t"} if suffix == ".tsv" else {}
    try:
        frame = getattr(pd, _READERS[suffix])(path, **options)
    except ImportError as exc:
        raise CommandError(f"{path}: {exc}") from None
    except Exception as exc:  # parser errors of every kind: one line, not a traceback
        raise CommandError(f"{path}: cannot read it as {suffix[1:]}: {exc}") from None
    if columns:
        wanted = [name.strip() for name in columns.split(",") if name.strip()]
        missing = [name for name in wanted if name not in frame.columns]
        if missing:
            raise CommandError(
                f"{path}: no column named {', '.join(map(repr, missing))}; it has "
                f"{', '.join(map(repr, map(str, frame.columns)))}"
            )
        frame = frame[wanted]
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise CommandError(f"{path}: the table is empty")
    return frame


def _row_text(path: str, row: int) -> str:
    """Where data row ``row`` (0-based, the frame's index as read, which --dropna
    keeps) is: its number, and its line in a text file with one header line."""
    if Path(path).suffix.lower() in (".csv", ".tsv"):
        return f"data row {row + 1} (line {row + 2} of the file)"
    return f"data row {row + 1}"


def _missing_values(frame, path: str, dropna: bool):
    """The table without missing values: rows with any dropped (``--dropna``, said on
    stderr) or an error naming the first column and row that has one. Infinite
    numbers are an error either way: they are values, not missing ones."""
    missing = frame.isna().to_numpy()
    if missing.any():
        if dropna:
            keep = ~missing.any(axis=1)
            dropped = int((~keep).sum())
            sys.stderr.write(
                f"fastmi: dropped {dropped:,} of {len(frame):,} rows with missing values\n"
            )
            frame = _integers_again(frame[keep], missing.any(axis=0))
        else:
            row, column = np.argwhere(missing)[0]
            raise CommandError(
                f"{path}: column {str(frame.columns[column])!r} has a missing value at "
                f"{_row_text(path, int(row))} ({int(missing[:, column].sum()):,} in all); "
                f"pass --dropna to drop the rows that have one, or fill them first"
            )
    numeric = frame.select_dtypes("number")
    infinite = np.isinf(numeric.to_numpy(dtype=float)) if numeric.shape[1] else None
    if infinite is not None and infinite.any():
        row, column = np.argwhere(infinite)[0]
        raise CommandError(
            f"{path}: column {str(numeric.columns[column])!r} has an infinite value at "
            f"{_row_text(path, int(numeric.index[row]))}; MI needs "
            f"finite numbers: replace or drop those rows"
        )
    if len(frame) < 2:
        left = "after dropping missing values " if dropna and missing.any() else ""
        raise CommandError(
            f"{path}: {left}the table has {len(frame)} row{'s' if len(frame) != 1 else ''}; "
            f"MI is estimated from samples and needs at least 2"
        )
    return frame


def _integers_again(frame, had_missing):
    """A column of integers with gaps reads as float (NaN is a float); once the gaps
    are dropped it is read as it would have been without them: integers, so labels,
    not tied continuous values."""
    frame = frame.copy()
    for column, gaps in zip(frame.columns, had_missing):
        values = frame[column]
        if gaps and values.dtype.kind == "f" and np.all(np.mod(values.to_numpy(), 1) == 0):
            frame[column] = values.astype(np.int64)
    return frame


def _method(text: str):
    """--method NAME, or KIND=NAME[,KIND=NAME...] for per-kind estimators (kinds not
    named follow auto)."""
    if "=" not in text:
        return text
    mapping = {}
    for item in text.split(","):
        kind, _, name = item.partition("=")
        if not kind.strip() or not name.strip():
            raise CommandError(
                f"--method {text!r}: use a name (one of {', '.join(METHODS)}) or "
                f"kind=name pairs such as continuous=gcmi,mixed=mixed"
            )
        mapping[kind.strip()] = name.strip()
    return mapping


def _matrix(args) -> None:
    frame = _missing_values(_read_table(args.data, args.columns), args.data, args.dropna)
    bins = int(args.bins) if args.bins.isdigit() else args.bins
    options = dict(method=_method(args.method), k=args.k, bins=bins, n_jobs=args.n_jobs)
    try:
        if args.plan:
            sys.stdout.write(f"{fastmi.plan(frame, **options)}\n")
            return
        result = fastmi.pairwise_mi(
            frame,
            base=np.e if args.base is None else args.base,
            normalize=args.normalize,
            progress=False if args.quiet else None,
            **options,
        )
    except (ValueError, TypeError, NotImplementedError, MemoryError) as exc:
        raise CommandError(f"{args.data}: {exc}") from None
    if args.output:
        _write_atomically(result, Path(args.output))
    else:
        result.to_csv(sys.stdout)  # a closed pipe: BrokenPipeError, handled by main
    if args.plot:
        _plot(result, args)


def _write_atomically(result, path: Path) -> None:
    """The CSV to a temporary file beside ``path``, then renamed over it: an
    interrupted run never leaves a truncated file (an existing one is replaced only
    by a complete one)."""
    if path.is_dir():
        raise CommandError(f"cannot write {path}: is a directory")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        result.to_csv(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _plot(result, args) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        from fastmi.plot import heatmap
    except ImportError as exc:
        raise CommandError(str(exc)) from None
    units = "normalised" if args.normalize else ("bits" if args.base == 2 else "nats")
    ax = heatmap(result, units=units, title=Path(args.data).name)
    try:
        ax.figure.savefig(args.plot, dpi=120, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot write {args.plot}: {exc}") from None


def build_parser() -> argparse.ArgumentParser:
    """The ``fastmi`` command's parser (docs/cli.md is generated from it)."""
    parser = argparse.ArgumentParser(
        prog="fastmi", description="Fast, trustworthy mutual information."
    )
    parser.add_argument("--version", action="version", version=f"fastmi {fastmi.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="print worked examples and a small MI matrix")
    matrix = commands.add_parser(
        "matrix", help="the MI matrix of the columns of a table (CSV, TSV or Parquet)"
    )
    matrix.add_argument("data", metavar="DATA", help="a .csv, .tsv or .parquet file")
    matrix.add_argument("-o", "--output", help="write the matrix to this CSV (default: stdout)")
    matrix.add_argument(
        "--method",
        default="auto",
        metavar="METHOD",
        help=f"an estimator ({', '.join(METHODS)}), or one per pair kind: "
        "continuous=gcmi,mixed=mixed,discrete=discrete (kinds not named follow auto)",
    )
    matrix.add_argument("--k", type=int, default=3, help="neighbours for kNN estimators")
    matrix.add_argument(
        "--bins", default="auto", help=f"bins for --method hist: a count or {', '.join(BIN_RULES)}"
    )
    matrix.add_argument(
        "--base",
        type=float,
        default=None,
        help="the logarithm's base: 2 for bits (default: e, nats)",
    )
    matrix.add_argument(
        "--normalize",
        choices=NORMALIZATIONS,
        help="a normalised score instead of MI, as normalize= of fastmi.pairwise_mi",
    )
    matrix.add_argument("--columns", help="comma-separated column names to use")
    matrix.add_argument(
        "--dropna",
        action="store_true",
        help="drop rows with a missing value (says how many); a column of integers with "
        "gaps is integers again",
    )
    matrix.add_argument(
        "--plan", action="store_true", help="print the job's pairs, time and memory; run nothing"
    )
    matrix.add_argument("--n-jobs", type=int, default=None, help="threads (default: all)")
    matrix.add_argument(
        "--plot", metavar="PNG", help="also draw the matrix as a heatmap (needs fastmi[plot])"
    )
    matrix.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            _demo(sys.stdout)
            return 0
        if args.command == "matrix":
            _matrix(args)
            return 0
    except CommandError as exc:
        sys.stderr.write(f"fastmi: error: {exc}\n")
        return 2
    except BrokenPipeError:  # output piped into head & co.: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, no partial output file
        sys.stderr.write("fastmi: interrupted\n")
        return 130
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
