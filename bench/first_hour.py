"""What a new user meets in the first hour, timed (the "Wide mixed tables, first call
and progress" issue's targets), on this machine, in one run:

    python bench/first_hour.py            # full sizes (a few minutes)
    python bench/first_hour.py --quick    # tiny sizes: checks the path in seconds

1. A mixed table (floats, small ints, strings, a bool), 1,500 columns x 3,000 rows:
   ``pairwise_mi`` with continuous pairs on gcmi (and mixed ones on hist), and all on
   hist, warm (targets < 60 s each); the ``auto`` run it replaces is given by
   ``fastmi.plan`` (too long to run here), so the ratio is plan(auto) / measured.
2. The first ``pairwise_mi`` on a small mixed DataFrame in a fresh process with an
   empty Numba cache (target < 15 s), and after ``fastmi demo`` ran with that cache
   (target < 5 s).
3. The progress bar's ETA after 10 % of the work against the real total, on a mixed
   table under ``auto`` (target: within 30 %).
4. The compile time of each public entry point alone, in a fresh process with an
   empty Numba cache.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import fastmi
from fastmi.pairwise import _engine


def mixed_table(n_rows: int, n_columns: int, seed: int = 0) -> pd.DataFrame:
    """60 % floats (pairs of them dependent), 20 % small ints, 15 % strings, one bool."""
    rng = np.random.default_rng(seed)
    columns = {}
    n_float = int(0.6 * n_columns)
    n_int = int(0.2 * n_columns)
    n_str = n_columns - n_float - n_int - 1
    base = rng.normal(size=(n_rows, n_float))
    base[:, 1::2] += base[:, 0::2][:, : base[:, 1::2].shape[1]]
    for j in range(n_float):
        columns[f"f{j}"] = base[:, j]
    for j in range(n_int):
        columns[f"i{j}"] = rng.integers(0, 5, n_rows)
    letters = np.array(list("abcdefgh"))
    for j in range(n_str):
        columns[f"s{j}"] = letters[rng.integers(0, 1 + j % 8, n_rows)]
    columns["flag"] = rng.random(n_rows) < 0.3
    return pd.DataFrame(columns)


def timed(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def wide_table(n_rows: int, n_columns: int) -> None:
    frame = mixed_table(n_rows, n_columns)
    auto = fastmi.plan(frame)
    print(f"mixed table {n_rows:,} x {n_columns:,}; plan under auto: {auto}")
    for method in ({"continuous": "gcmi", "mixed": "hist"}, "hist"):
        small = frame.iloc[:, list(range(5)) + [-1]]
        fastmi.pairwise_mi(small, method=method, progress=False)  # compile first
        seconds, _ = timed(lambda m=method: fastmi.pairwise_mi(frame, method=m, progress=False))
        planned = fastmi.plan(frame, method=method).seconds
        print(
            f"  method={method}: {seconds:.1f} s (target < 60 s; planned {planned:.0f} s); "
            f"auto as planned / this: {auto.seconds / seconds:.0f}x"
        )


FIRST_CALL = """
import time, numpy as np, pandas as pd, fastmi
rng = np.random.default_rng(0)
n = 300
df = pd.DataFrame({"f": rng.normal(size=n), "g": rng.normal(size=n),
                   "i": rng.integers(0, 4, n), "s": rng.choice(["a", "b", "c"], n),
                   "b": rng.random(n) > 0.5})
start = time.perf_counter()
fastmi.pairwise_mi(df, progress=False)
print(time.perf_counter() - start)
"""


def first_call() -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "FASTMI_NUMBA_CACHE": "1"}
        env["FASTMI_COMPILE_NOTICE"] = "0"

        def run(*args):
            return subprocess.run(
                [sys.executable, *args], env=env, check=True, capture_output=True, text=True
            ).stdout

        empty = float(run("-c", FIRST_CALL))
        print(f"first pairwise_mi, small mixed DataFrame, empty cache: {empty:.1f} s (< 15 s)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache, "FASTMI_NUMBA_CACHE": "1"}
        demo, _ = timed(lambda: run("-m", "fastmi.cli", "demo"))
        after = float(run("-c", FIRST_CALL))
        print(f"  after fastmi demo ({demo:.1f} s, same cache): {after:.1f} s (< 5 s)")


ENTRY_POINTS = {
    "mi, floats (KSG)": "fastmi.mi(f, g)",
    "mi, labels (plug-in)": "fastmi.mi(i, s)",
    "mi, float and labels (Ross)": "fastmi.mi(f, i)",
    "entropy, floats (Kozachenko-Leonenko)": "fastmi.entropy(f)",
    "cmi, floats (Frenzel-Pompe)": "fastmi.cmi(f, g, h)",
    "pairwise_mi, floats": "fastmi.pairwise_mi(np.column_stack([f, g, h]), progress=False)",
    "mi_with_target, floats and a label": "fastmi.mi_with_target(np.column_stack([f, g]), i)",
    "mi_test, floats (permutations)": "fastmi.mi_test(f, g, n_permutations=10)",
}

ENTRY_SETUP = (
    "import time, numpy as np, fastmi\n"
    "rng = np.random.default_rng(0)\n"
    "f, g, h = rng.normal(size=(3, 300))\n"
    "i, s = rng.integers(0, 4, 300), rng.choice(['a', 'b'], 300)\n"
    "start = time.perf_counter()\n"
)


def entry_points() -> None:
    """Each public entry point alone in a fresh process with an empty cache: its
    compile time (the call itself takes milliseconds)."""
    for name, call in ENTRY_POINTS.items():
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache, "FASTMI_NUMBA_CACHE": "1"}
            env["FASTMI_COMPILE_NOTICE"] = "0"
            code = ENTRY_SETUP + call + "\nprint(time.perf_counter() - start)\n"
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True,
                text=True,
            ).stdout  # fmt: skip
        print(f"  first call, empty cache: {name}: {float(out):.1f} s")


class RecordingBar:
    """Stands in for the tqdm bar: records (time, work done) at each update."""

    def __init__(self, total: float, initial: float):
        self.total, self.done = total, initial
        self.start = time.perf_counter()
        self.points = []

    def update(self, work: float) -> None:
        self.done += work
        self.points.append((time.perf_counter() - self.start, self.done))

    def close(self) -> None:
        pass


def eta(n_rows: int, n_columns: int) -> None:
    frame = mixed_table(n_rows, n_columns, seed=1)
    fastmi.pairwise_mi(frame.iloc[:, [0, 1, -3, -2, -1]], progress=False)  # compile
    bars = []

    def recording_bar(enabled, total, initial=0.0):
        bars.append(RecordingBar(total, initial))
        return bars[-1]

    original = _engine.progress_bar
    _engine.progress_bar = recording_bar
    try:
        seconds, _ = timed(lambda: fastmi.pairwise_mi(frame, tile_size=32))
    finally:
        _engine.progress_bar = original
    bar = bars[0]
    at, done = next((t, d) for t, d in bar.points if d >= 0.1 * bar.total)
    predicted = at * bar.total / done
    print(
        f"ETA on a {n_rows:,} x {n_columns:,} mixed table under auto ({len(bar.points)} "
        f"tiles): after {done / bar.total:.0%} of the work it said {predicted:.1f} s in all; "
        f"the run took {seconds:.1f} s: {predicted / seconds - 1:+.0%} (target within 30 %)"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes")
    args = parser.parse_args(argv)
    print(f"fastmi {fastmi.__version__}, {_engine.nb.config.NUMBA_NUM_THREADS} threads")
    if args.quick:
        wide_table(200, 30)
        eta(200, 40)
        return
    wide_table(3000, 1500)
    eta(3000, 300)
    first_call()
    entry_points()


if __name__ == "__main__":
    main()
