import subprocess
import sys

CHECK = """
import fastmi, fastmi.kernels._discrete as d, fastmi.kernels._binning as b
from numba.core.registry import CPUDispatcher
compiled = [f"{m.__name__}.{name}" for m in (d, b) for name, f in vars(m).items()
            if isinstance(f, CPUDispatcher) and f.signatures]
print(compiled)
"""


def test_import_compiles_nothing():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_public_names():
    import fastmi

    assert set(fastmi.__all__) >= {"mi", "cmi", "entropy", "info", "InvalidParameterError"}
    for name in fastmi.__all__:
        assert hasattr(fastmi, name)
