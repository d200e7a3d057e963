import numba
import numpy as np
import pandas as pd
import pytest

from fastmi.pairwise import _output

JIT_DISABLED = numba.config.DISABLE_JIT


@pytest.fixture
def rng():
    return np.random.default_rng(20261129)


def mixed_frame(rng, n=300, p=6):
    """p continuous columns (c1 depends on c0) and two dependent discrete ones: a
    job with KSG, Ross and discrete pairs."""
    frame = pd.DataFrame(rng.normal(size=(n, p)), columns=[f"c{j}" for j in range(p)])
    frame["c1"] += frame["c0"]
    frame["d0"] = rng.integers(0, 3, n)
    frame["d1"] = (frame["d0"] + rng.integers(0, 2, n)) % 3
    return frame


class Interrupted(Exception):
    """Stands for a run stopped from outside."""


def counting_writes(monkeypatch, stop_after=None, after_first=None):
    """The tiles written to disk, in order; raise Interrupted instead of writing tile
    number ``stop_after`` + 1 (an interrupted run); call ``after_first`` once the
    first tile is written."""
    written = []
    original = _output.DiskOutput.write

    def write(self, tiling, tile, block):
        if stop_after is not None and len(written) == stop_after:
            raise Interrupted
        original(self, tiling, tile, block)
        written.append(tile)
        if after_first is not None and len(written) == 1:
            after_first()

    monkeypatch.setattr(_output.DiskOutput, "write", write)
    return written
