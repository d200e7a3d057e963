"""Smoke test of bench/gpu.py: the whole script at a tiny size, on the CUDA simulator
in CI (the root conftest sets NUMBA_ENABLE_CUDASIM=1), on the device under
NUMBA_ENABLE_CUDASIM=0. Times nothing: bench/gpu_check.sh runs the real sizes."""

import json

import gpu
import pytest


def test_gpu_script_runs_at_a_tiny_size(tmp_path):
    from fastmi.cuda._device import available

    if not available():
        pytest.skip("no CUDA device and no simulator")
    records = gpu.main(
        [str(tmp_path), "--ksg-p", "3", "--ksg-n", "20", "--discrete-p", "4",
         "--discrete-n", "24", "--cpu-threads", "1", "2", "--cpu-columns-ksg", "3",
         "--cpu-columns-discrete", "3"]
    )  # fmt: skip
    saved = json.loads((tmp_path / "gpu.json").read_text())
    assert [r["case"] for r in saved["records"]] == ["ksg", "discrete"]
    assert all(r["gpu_seconds"] is not None for r in records)
    assert max(r["subset_largest_relative_difference"] for r in records) <= 1e-12
    assert "| ksg |" in (tmp_path / "gpu.md").read_text()
