import numba
import numpy as np
import pytest

JIT_DISABLED = numba.config.DISABLE_JIT


@pytest.fixture
def rng():
    return np.random.default_rng(20261129)
