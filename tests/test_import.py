import subprocess
import sys

CHECK = """
import sys
import fastmi, fastmi.sklearn
from numba.core.registry import CPUDispatcher
modules = [m for name, m in sys.modules.items() if name.startswith("fastmi.")]
dispatchers = [(m.__name__, name) for m in modules for name, f in vars(m).items()
               if isinstance(f, CPUDispatcher)]
compiled = [f"{m}.{name}" for m, name in dispatchers
            if getattr(sys.modules[m], name).signatures]
print(len(dispatchers) > 20, compiled, "pandas" in sys.modules)
"""


def test_import_compiles_nothing():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True [] False"  # kernels found, none compiled


def test_public_names():
    import fastmi

    assert set(fastmi.__all__) >= {"mi", "cmi", "entropy", "info", "InvalidParameterError"}
    for name in fastmi.__all__:
        assert hasattr(fastmi, name)
