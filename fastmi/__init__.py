"""fastmi: fast, trustworthy mutual information.

Estimators of entropy, mutual information and conditional mutual information from
samples (:func:`entropy`, :func:`mi`, :func:`cmi`), and the exact quantities of
probability tables (:mod:`fastmi.info`). Results are in nats unless ``base=2``.
Importing fastmi compiles nothing; each kernel compiles on its first call (once per
install: Numba caches it on disk), and a compilation that takes more than a couple of
seconds says so in one line on stderr (``FASTMI_COMPILE_NOTICE=0`` silences it).
"""

from . import _compile_notice, datasets, info, layers
from ._api import cmi, entropy, mi
from ._validation import InvalidParameterError
from ._version import __version__
from ._warnings import (
    CalibrationWarning,
    PerfectDependenceWarning,
    SaturationWarning,
    TiesWarning,
    UnreliableEstimateWarning,
)
from .layers import (
    LayerSimilarity,
    UnitMatching,
    information_plane,
    layer_mi,
    layer_similarity,
    unit_matching,
)
from .pairwise._api import mi_with_target, pairwise_mi, plan
from .pairwise._cmi import pairwise_cmi
from .pairwise._summary import Plan, top_pairs
from .significance import (
    MIInterval,
    MITestResult,
    PairwiseTestResult,
    cmi_test,
    mi_ci,
    mi_test,
    pairwise_test,
)

_compile_notice.install()


def __getattr__(name):
    # fastmi.feature_selection needs scikit-learn, which import fastmi does not load:
    # the submodule is imported on first use (an ImportError names the fix).
    if name == "feature_selection":
        import importlib

        return importlib.import_module(".feature_selection", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CalibrationWarning",
    "InvalidParameterError",
    "LayerSimilarity",
    "MIInterval",
    "MITestResult",
    "PairwiseTestResult",
    "PerfectDependenceWarning",
    "SaturationWarning",
    "TiesWarning",
    "UnitMatching",
    "UnreliableEstimateWarning",
    "cmi",
    "cmi_test",
    "datasets",
    "entropy",
    "info",
    "information_plane",
    "layer_mi",
    "layer_similarity",
    "layers",
    "mi",
    "mi_ci",
    "mi_test",
    "mi_with_target",
    "pairwise_cmi",
    "pairwise_mi",
    "pairwise_test",
    "plan",
    "Plan",
    "top_pairs",
    "unit_matching",
    "__version__",
]
