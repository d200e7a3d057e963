"""Root conftest: loaded before any test module, doctest or fastmi import."""

import os

# Compile fresh in every test run: a cached driver can keep stale machine code of the
# kernels it calls from another module (STYLE.md section 7). Set before fastmi imports.
os.environ.setdefault("FASTMI_NUMBA_CACHE", "0")
# Tests compile all the time: the one-line compile notice would interleave with
# pytest's output (tests/test_cli.py checks the notice with a stream of its own).
os.environ.setdefault("FASTMI_COMPILE_NOTICE", "0")

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
