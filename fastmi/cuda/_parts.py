"""From the CPU's tile parts to device parts, and which estimators have one.

A device part is made once per job from the CPU part the estimator prepared
(fastmi.pairwise._job.prepare_parts): it copies the part's arrays to the device once
and is called like it, ``part(a, b, out) -> flagged mask or None``, with the same
values; ``nbytes`` says how much device memory it holds. The table and gcmi parts
are here; the kNN parts (``ksg``, ``ksg2``, ``ross``) are in ``_knn``, whose
``KNN_PARTS`` maps their names to converters.
"""

from __future__ import annotations

import importlib.util

from .._validation import InvalidParameterError
from ._limits import check_k

#: Estimators with a device part here.
OWN_PARTS = ("discrete", "hist", "gcmi")
#: Estimators with a device part in fastmi.cuda._knn, when that module exists.
KNN_NAMES = ("ksg", "ksg2", "ross")
#: Device bytes per variable and sample of each estimator's part, for the plan and
#: the memory guard: int32 codes and grouped samples for tables, float64 unit rows
#: for gcmi; values, sorted values and int32 order and rank for KSG (24 bytes); int32
#: order and labels, float64 sorted values for Ross (12 bytes, the larger side).
BYTES_PER_SAMPLE = {"discrete": 8, "hist": 8, "gcmi": 8, "ksg": 24, "ksg2": 24, "ross": 12}
#: Scratch budget of each estimator's part, held for the job: _tables.SCRATCH_BYTES
#: (one buffer for all its launches) and _knn.BATCH_BYTES (one batch of pairs),
#: written out here so that a plan imports no numba.cuda.
SCRATCH_BYTES = {
    "discrete": 2**26,
    "hist": 2**26,
    "gcmi": 0,
    "ksg": 2**28,
    "ksg2": 2**28,
    "ross": 2**28,
}
#: Scratch of one pair of the kNN kernels per sample (terms and the other variable in
#: the scan order): a launch holds at least one pair, whatever the budget.
PAIR_SCRATCH_PER_SAMPLE = {"ksg": 16, "ksg2": 16, "ross": 20}


def _scratch(name: str, n: int) -> int:
    """A launch's scratch: the budget, or one pair's when that is larger."""
    one_pair = PAIR_SCRATCH_PER_SAMPLE.get(name, 0) * n + 8 * (n + 1)  # + the psi table
    return max(SCRATCH_BYTES.get(name, 2**28), one_pair)


def required_device_bytes(n_vars: int, n: int, names, tile_cells: int) -> int:
    """Device memory of a job: each estimator's prepared part (an upper estimate: every
    variable counted in each), a tile's pairs, values and flags (gcmi: its block of
    correlations), and the kernels' scratch."""
    prepared = n_vars * n * sum(BYTES_PER_SAMPLE.get(name, 40) for name in names)
    scratch = sum(_scratch(name, n) for name in names)
    return prepared + tile_cells * (2 * 8 + 8 + 8 + 1) + scratch


def _has_knn() -> bool:
    return importlib.util.find_spec("fastmi.cuda._knn") is not None


def device_estimators() -> tuple[str, ...]:
    """The estimators the GPU runs."""
    return OWN_PARTS + (KNN_NAMES if _has_knn() else ())


def _as_method(name: str) -> str:
    """An estimator as the user selects it: method='mixed' (the 'ross' estimator)."""
    from ..estimators import REGISTRY

    method = REGISTRY[name].method if name in REGISTRY else name
    return f"method={method!r}" + ("" if method == name else f" (the {name!r} estimator)")


def check_job(names, correction, k: int | None = None) -> None:
    """Refuse, before any work, a job the device cannot run: an estimator without a
    device part, a table correction the kernels do not compute, or a k beyond what
    the device's neighbour search holds."""
    supported = device_estimators()
    missing = [name for name in names if name not in supported]
    if missing:
        listed = ", ".join(_as_method(name) for name in supported)
        raise InvalidParameterError(
            f"backend='cuda' has no device kernel for {', '.join(map(_as_method, missing))}; "
            f"the GPU runs {listed}. Use backend='threads' for this method."
        )
    if any(name in ("discrete", "hist") for name in names):
        from ._tables import check_correction

        check_correction(correction)
    if k is not None and any(name in KNN_NAMES for name in names):
        check_k(k)


def _converters() -> dict:
    from ._gcmi import DeviceGcmiPart
    from ._tables import DeviceTablePart

    converters = {"discrete": DeviceTablePart, "hist": DeviceTablePart, "gcmi": DeviceGcmiPart}
    if _has_knn():
        from ._knn import KNN_PARTS

        converters.update(KNN_PARTS)
    return converters


def to_device(name: str, cpu_part):
    """The device part of estimator ``name`` made from its CPU tile part."""
    converter = _converters().get(name)
    if converter is None:
        check_job([name], None)  # raises, naming what the GPU runs
    return converter(cpu_part)
