"""Root conftest: loaded before any test module, doctest or fastmi import."""

import os

# Compile fresh in every test run: a cached driver can keep stale machine code of the
# kernels it calls from another module (STYLE.md section 7). Set before fastmi imports.
os.environ.setdefault("FASTMI_NUMBA_CACHE", "0")
# Tests compile all the time: the one-line compile notice would interleave with
# pytest's output (tests/test_cli.py checks the notice with a stream of its own).
os.environ.setdefault("FASTMI_COMPILE_NOTICE", "0")
# backend="cuda" tests (tests/test_cuda*.py) run on Numba's CUDA simulator, which runs
# kernels in Python, so CI needs no GPU. Numba reads this when it is first imported.
# On a GPU machine, NUMBA_ENABLE_CUDASIM=0 runs the same tests on the device
# (bench/gpu_check.sh does).
os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import pytest  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow; pass --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
