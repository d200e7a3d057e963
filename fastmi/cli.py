"""Command line: ``fastmi demo``, ``fastmi --version``. Argument parsing only."""

from __future__ import annotations

import argparse
import sys

import fastmi
from fastmi import info
from fastmi.datasets import load_weather

_CHANNEL_FLIPS = (0.0, 0.1, 0.5)


def _demo(out) -> None:
    def say(text=""):
        print(text, file=out)

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
    say("Discrete MI matrix of the 14-day weather table (Quinlan 1986), in bits;")
    say("the diagonal holds each column's entropy H(X_i):")
    say()
    width = max(len(name) for name in names) + 2
    say(" " * width + "".join(f"{name:>{width}}" for name in names))
    for a in names:
        cells = [
            fastmi.entropy(weather[a], base=2)
            if a == b
            else fastmi.mi(weather[a], weather[b], base=2)
            for b in names
        ]
        say(f"{a:<{width}}" + "".join(f"{value:>{width}.4f}" for value in cells))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fastmi", description="Fast, trustworthy mutual information."
    )
    parser.add_argument("--version", action="version", version=f"fastmi {fastmi.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="print worked examples and a small MI matrix")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        _demo(sys.stdout)
        return 0
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
