"""backend="cuda" against the thread backend, side by side in one run.

    python bench/gpu.py OUTDIR [--ksg-p 1000] [--ksg-n 10000] [--discrete-p 10000]
        [--discrete-n 10000] [--levels 4] [--cpu-threads 2 16] [--cpu-columns-ksg 150]
        [--cpu-columns-discrete 1000] [--gpu-budget 300]

Two jobs, the targets of the GPU issue: all-pairs KSG at P = 1,000, N = 10^4, and
all-pairs discrete (``--levels`` levels per column) at P = 10,000, N = 10^4.

- Warm-up: both backends first run the first two columns at the full N, untimed
  (the JSON keeps those times), so that no compile time enters a measurement: a
  larger N takes code paths a tiny job does not compile. The GPU kernels' compile
  time, on a tiny job, is reported on its own.
- GPU: the full job. Before the full job, the first ``--cpu-columns-*`` columns are
  run on the GPU too; if that time scaled to the full job's pairs exceeds
  ``--gpu-budget`` seconds the full job is skipped and the record says so.
- CPU: the thread backend with each of ``--cpu-threads`` thread counts on the first
  ``--cpu-columns-*`` columns only (the full KSG job takes about 20 minutes on 2
  threads), and that time scaled by the number of pairs: an all-pairs job costs
  pairs x the cost of a pair, the same for every pair of a job like these. The JSON
  keeps the measured time and the columns it was measured on; the table marks every
  scaled figure.
- The GPU and CPU matrices of the subset are compared (largest relative difference).

Writes OUTDIR/gpu.json and OUTDIR/gpu.md and prints the table. Without a GPU (or with
NUMBA_ENABLE_CUDASIM=1, the simulator) it runs the same code, meaningful only at tiny
sizes (bench/bench_gpu.py runs it so in CI).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numba
import numpy as np

import fastmi


def ksg_table(n: int, p: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    pairs = 2 * (p // 2)
    X[:, 1:pairs:2] += X[:, 0:pairs:2]  # columns 2i and 2i + 1 dependent
    return X


def discrete_table(n: int, p: int, levels: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.integers(0, levels, size=(n, p))
    pairs = 2 * (p // 2)
    X[:, 1:pairs:2] = (X[:, 0:pairs:2] + (rng.random((n, p // 2)) < 0.2)) % levels
    return X


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def pairs_of(p: int) -> int:
    return p * (p - 1) // 2


def largest_relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    both = np.isfinite(a) & np.isfinite(b)
    if not both.any():
        return 0.0
    scale = np.maximum(np.abs(b[both]), np.finfo(float).tiny)
    return float(np.max(np.abs(a[both] - b[both]) / scale))


def run_case(name, method, X, cpu_columns, cpu_threads, gpu_budget) -> dict:
    """One job on the GPU (full, unless over budget) and on the CPU (a column subset,
    scaled by pairs)."""
    n, p = X.shape
    sub = min(cpu_columns, p)
    scale = pairs_of(p) / pairs_of(sub)
    options = {"method": method, "progress": False}
    record = {"case": name, "method": method, "n": n, "p": p, "pairs": pairs_of(p)}
    record["gpu_compile_seconds"] = timed(
        lambda: fastmi.pairwise_mi(X[:64, :3], backend="cuda", **options)
    )[0]
    # Warm-ups outside the timers, at the full n: a larger n takes other code paths
    # (the CPU's KD-tree and strips, the device's batch sizes), compiled on first use.
    record["gpu_warmup_seconds"] = timed(
        lambda: fastmi.pairwise_mi(X[:, :2], backend="cuda", **options)
    )[0]
    record["cpu_warmup_seconds"] = timed(lambda: fastmi.pairwise_mi(X[:, :2], **options))[0]
    gpu_sub_seconds, gpu_sub = timed(
        lambda: fastmi.pairwise_mi(X[:, :sub], backend="cuda", **options)
    )
    record["subset_columns"] = sub
    record["gpu_subset_seconds"] = gpu_sub_seconds
    cpu = {}
    for threads in cpu_threads:
        seconds, cpu_sub = timed(
            lambda threads=threads: fastmi.pairwise_mi(X[:, :sub], n_jobs=threads, **options)
        )
        cpu[str(threads)] = {
            "threads": min(threads, numba.config.NUMBA_NUM_THREADS),
            "measured_seconds": seconds,
            "scaled_seconds": seconds * scale,
        }
        record["subset_largest_relative_difference"] = largest_relative_difference(gpu_sub, cpu_sub)
    record["cpu"] = cpu
    estimate = gpu_sub_seconds * scale
    if estimate > gpu_budget:
        record["gpu_seconds"] = None
        record["gpu_note"] = (
            f"full job skipped: the subset's time scaled to it, {estimate:.0f} s, is over "
            f"the budget of {gpu_budget:.0f} s"
        )
    else:
        record["gpu_seconds"] = timed(lambda: fastmi.pairwise_mi(X, backend="cuda", **options))[0]
    gpu = record["gpu_seconds"]
    for entry in cpu.values():
        entry["ratio_cpu_over_gpu"] = None if gpu is None else entry["scaled_seconds"] / gpu
    return record


def markdown(records: list[dict], machine: dict) -> str:
    lines = [
        "# backend='cuda' against the thread backend",
        "",
        f"Machine: {machine['platform']}, {machine['cores']} CPU threads for Numba, "
        f"GPU: {machine['gpu']}, simulator: {machine['simulator']}.",
        "",
        "CPU times are measured on a column subset and scaled by pairs (marked *).",
        "",
        "| case | P | N | GPU s | GPU compile s | CPU threads | CPU s* | CPU / GPU | "
        "subset cols | max rel diff |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        gpu = "skipped" if r["gpu_seconds"] is None else f"{r['gpu_seconds']:.3g}"
        for entry in r["cpu"].values():
            ratio = entry["ratio_cpu_over_gpu"]
            lines.append(
                f"| {r['case']} | {r['p']:,} | {r['n']:,} | {gpu} | "
                f"{r['gpu_compile_seconds']:.3g} | {entry['threads']} | "
                f"{entry['scaled_seconds']:.3g} | "
                f"{'-' if ratio is None else f'{ratio:.3g}x'} | {r['subset_columns']} | "
                f"{r['subset_largest_relative_difference']:.1e} |"
            )
        if r.get("gpu_note"):
            lines.append(f"\n{r['case']}: {r['gpu_note']}.\n")
    return "\n".join(lines) + "\n"


def machine_info() -> dict:
    from numba import config, cuda

    gpu = "none"
    if cuda.is_available():
        gpu = "simulator" if config.ENABLE_CUDASIM else cuda.get_current_device().name
        gpu = gpu.decode() if isinstance(gpu, bytes) else str(gpu)
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numba": numba.__version__,
        "fastmi": fastmi.__version__,
        "cores": numba.config.NUMBA_NUM_THREADS,
        "gpu": gpu,
        "simulator": bool(config.ENABLE_CUDASIM),
    }


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--ksg-p", type=int, default=1000)
    parser.add_argument("--ksg-n", type=int, default=10_000)
    parser.add_argument("--discrete-p", type=int, default=10_000)
    parser.add_argument("--discrete-n", type=int, default=10_000)
    parser.add_argument("--levels", type=int, default=4)
    parser.add_argument("--cpu-threads", type=int, nargs="+", default=[2, 16])
    parser.add_argument("--cpu-columns-ksg", type=int, default=150)
    parser.add_argument("--cpu-columns-discrete", type=int, default=1000)
    parser.add_argument("--gpu-budget", type=float, default=300.0)
    parser.add_argument("--cases", nargs="+", default=["ksg", "discrete"])
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    machine = machine_info()
    records = []
    for case in args.cases:
        if case == "ksg":
            X = ksg_table(args.ksg_n, args.ksg_p)
            columns = args.cpu_columns_ksg
        else:
            X = discrete_table(args.discrete_n, args.discrete_p, args.levels)
            columns = args.cpu_columns_discrete
        records.append(run_case(case, case, X, columns, args.cpu_threads, args.gpu_budget))
        # written after each case, so a run stopped at its limit keeps what it did
        (args.outdir / "gpu.json").write_text(
            json.dumps({"machine": machine, "records": records}, indent=2)
        )
        (args.outdir / "gpu.md").write_text(markdown(records, machine))
    print(markdown(records, machine))
    return records


if __name__ == "__main__":
    main()
