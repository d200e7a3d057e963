"""Options: every parameter of the public functions, checked once, at one boundary.

``Options`` holds the estimation settings (what is estimated, and how), ``RunOptions``
the run settings of the matrix functions (threads, progress, output, backend). The
public functions build them with ``estimation_options`` and ``run_options`` before
any work; everything below takes them as validated and never re-checks. The
docstring entries the public functions share live here too (``with_parameters``).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._validation import InvalidParameterError
from .estimators import CORRECTIONS, METHODS, PAIR_KINDS

BIN_RULES = ("auto", "sqrt", "sturges", "fd")
BINNINGS = ("uniform", "quantile")
MAX_BINS = 2**31  # bin indices stay exact in float64 arithmetic, far beyond any use
#: normalize= values; all but "corr" divide by entropies, so need a table estimator.
NORMALIZATIONS = ("corr", "arithmetic", "geometric", "min", "max", "joint")
BACKENDS = ("threads", "dask")
#: The backends of the functions that run the pairwise engine's tiles (pairwise_mi,
#: mi_with_target, pairwise_test, plan); others, such as pairwise_cmi, have no CUDA path.
MATRIX_BACKENDS = (*BACKENDS, "cuda")


@dataclass(frozen=True)
class Options:
    """Validated estimation settings; the public functions document each one."""

    method: str | tuple = "auto"  # a name, or ((pair kind, name), ...) from a mapping
    k: int = 3
    bins: int | str = "auto"
    binning: str = "uniform"
    correction: str | None = None
    jitter: float = 1e-10
    seed: int = 0
    clip: bool = False
    normalize: str | None = None
    log_base: float = 1.0  # log(base): results in nats are divided by it
    scale: bool = True  # kNN: scale continuous columns to unit variance (the drop-ins do it)


@dataclass(frozen=True)
class RunOptions:
    """Validated run settings of the matrix functions (fastmi.pairwise_mi documents
    them). ``out`` is the checked output path; ``client`` is resolved later, by the
    Dask backend."""

    n_jobs: int | None = None
    progress: bool | None = None
    dtype: np.dtype = np.dtype(np.float64)
    backend: str = "threads"
    client: object = None
    out: Path | None = None
    resume: bool = False
    tile_size: int | None = None


def estimation_options(
    *,
    method="auto",
    k=3,
    bins="auto",
    binning="uniform",
    correction=None,
    jitter=1e-10,
    random_state=0,
    clip=False,
    normalize=None,
    base=math.e,
    scale=True,
) -> Options:
    """Check every estimation setting; ``random_state=None`` draws a fresh seed.
    ``scale=False`` (internal, for the scikit-learn drop-ins, which scale and jitter
    as scikit-learn does) leaves continuous columns unscaled."""
    method = check_method(method)
    if not (correction is None or isinstance(correction, str)) or correction not in CORRECTIONS:
        listed = ", ".join(repr(c) for c in CORRECTIONS)
        raise InvalidParameterError(f"correction must be one of {listed}; got {correction!r}.")
    if normalize is not None:
        check_choice(normalize, "normalize", NORMALIZATIONS, none=True)
    return Options(
        method=method,
        k=check_int(k, "k", min_value=1),
        bins=check_bins(bins),
        binning=check_choice(binning, "binning", BINNINGS),
        correction=correction,
        jitter=check_jitter(jitter),
        seed=check_random_state(random_state),
        clip=check_bool(clip, "clip"),
        normalize=normalize,
        log_base=check_base(base),
        scale=check_bool(scale, "scale"),
    )


def run_options(
    *,
    n_jobs=None,
    progress=None,
    dtype=None,
    backend="threads",
    client=None,
    out=None,
    resume=False,
    tile_size=None,
    backends=BACKENDS,
) -> RunOptions:
    """Check every run setting, the output path included, before any work is done.
    ``backends``: the backends the calling function offers."""
    backend = check_choice(backend, "backend", backends)
    if client is not None and backend != "dask":
        raise InvalidParameterError("client= is for backend='dask'; pass backend='dask' too.")
    resume = check_bool(resume, "resume")
    return RunOptions(
        n_jobs=check_n_jobs(n_jobs),
        progress=None if progress is None else check_bool(progress, "progress", none=True),
        dtype=check_dtype(dtype),
        backend=backend,
        client=client,
        out=check_out(out, resume),
        resume=resume,
        tile_size=None if tile_size is None else check_int(tile_size, "tile_size", min_value=1),
    )


# ---------------------------------------------------------------------------------------
# The checks, one per kind of parameter
# ---------------------------------------------------------------------------------------


def check_method(method) -> str | tuple:
    """A method name, or a mapping from pair kind to method name (kinds not named
    follow ``auto``), returned as a sorted tuple of (kind, name) pairs."""
    if not isinstance(method, Mapping):
        return check_choice(method, "method", METHODS)
    for kind, name in method.items():
        if kind not in PAIR_KINDS:
            listed = ", ".join(repr(k) for k in PAIR_KINDS)
            raise InvalidParameterError(
                f"method's keys must be pair kinds, {listed}; got {kind!r}."
            )
        check_choice(name, f"method[{kind!r}]", METHODS)
    return tuple(sorted(method.items()))


def check_int(value, name: str, *, min_value: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidParameterError(
            f"{name} must be an int; got {value!r} ({type(value).__name__})."
        )
    if min_value is not None and value < min_value:
        raise InvalidParameterError(f"{name} must be >= {min_value}; got {value}.")
    return int(value)


def check_bool(value, name: str, *, none: bool = False) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        allowed = "None, True or False" if none else "True or False"
        raise InvalidParameterError(f"{name} must be {allowed}; got {value!r}.")
    return bool(value)


def check_choice(value, name: str, choices, *, none: bool = False) -> str:
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        prefix = "None or one of" if none else "one of"
        raise InvalidParameterError(f"{name} must be {prefix} {listed}; got {value!r}.")
    return value


def check_base(base) -> float:
    """The logarithm base: a finite real > 0 and != 1. Returns log(base)."""
    message = f"base must be a real number > 0 and != 1 (e.g. 2 for bits); got {base!r}."
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise InvalidParameterError(message)
    base = float(base)
    if not math.isfinite(base) or base <= 0 or base == 1:
        raise InvalidParameterError(message)
    return math.log(base)


def check_bins(bins):
    """``bins`` is an int from 1 to MAX_BINS or one of BIN_RULES."""
    if isinstance(bins, str):
        if bins not in BIN_RULES:
            listed = ", ".join(repr(r) for r in BIN_RULES)
            raise InvalidParameterError(
                f"bins must be an int from 1 to {MAX_BINS} or one of {listed}; got {bins!r}."
            )
        return bins
    if (
        isinstance(bins, bool)
        or not isinstance(bins, numbers.Integral)
        or bins < 1
        or bins > MAX_BINS
    ):
        raise InvalidParameterError(
            f"bins must be an int from 1 to {MAX_BINS} or one of 'auto', 'sqrt', "
            f"'sturges', 'fd'; got {bins!r}."
        )
    return int(bins)


def check_jitter(jitter) -> float:
    if (
        isinstance(jitter, bool)
        or not isinstance(jitter, numbers.Real)
        or not (math.isfinite(jitter) and jitter >= 0)
    ):
        raise InvalidParameterError(
            f"jitter must be a finite real >= 0 (0 turns it off); got {jitter!r}."
        )
    return float(jitter)


def check_random_state(random_state) -> int:
    """An int seed >= 0; None draws a fresh one (results then vary between calls)."""
    if random_state is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    if (
        isinstance(random_state, bool)
        or not isinstance(random_state, numbers.Integral)
        or (random_state < 0)
    ):
        raise InvalidParameterError(
            f"random_state must be an int >= 0 or None; got {random_state!r}."
        )
    return int(random_state)


def check_n_jobs(n_jobs) -> int | None:
    """None (all cores, as scikit-learn) or an int != 0; -1 means all cores too."""
    if n_jobs is None:
        return None
    n_jobs = check_int(n_jobs, "n_jobs")
    if n_jobs == 0:
        raise InvalidParameterError("n_jobs must be a positive int, -1 or None; got 0.")
    return n_jobs


def check_dtype(dtype) -> np.dtype:
    try:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise InvalidParameterError("dtype must be a float dtype such as np.float64 or np.float32.")
    return dtype


def check_out(out, resume: bool) -> Path | None:
    """The output path, checked before any work: a bad path, or an existing output
    without ``resume``, fails at once rather than after the preparation."""
    if out is None:
        if resume:
            raise InvalidParameterError(
                "resume=True continues a run that writes to disk; pass out='matrix.zarr' "
                "or out='matrix.npy' too."
            )
        return None
    if not isinstance(out, (str, os.PathLike)):
        raise InvalidParameterError(
            f"out must be a path ending in .zarr or .npy; got {type(out).__name__}."
        )
    path = Path(out)
    if path.suffix not in (".zarr", ".npy"):
        raise InvalidParameterError(
            f"out must be a path ending in .zarr (a Zarr store) or .npy (a memory-mapped "
            f"NumPy file); got {str(path)!r}."
        )
    if not path.parent.is_dir():
        raise InvalidParameterError(f"out: the folder {str(path.parent)!r} does not exist.")
    if path.suffix == ".zarr":
        zarr_module()
    exists = path.exists() or log_path(path).exists()
    if exists and not resume:
        raise FileExistsError(
            f"{path} exists. Pass resume=True to finish the run that wrote it (only the "
            f"missing tiles are computed), or delete it (and {log_path(path).name}) to "
            f"start over."
        )
    if exists and not (path.exists() and log_path(path).exists()):
        raise InvalidParameterError(
            f"cannot resume {path}: it or its tile log {log_path(path).name} is missing. "
            f"Delete what is left to start over."
        )
    return path


def log_path(path: Path) -> Path:
    """The log of finished tiles beside an output, ``PATH.tiles``."""
    return path.with_name(path.name + ".tiles")


def zarr_module():
    """zarr, imported when out= asks for it, or an error that says how to get it."""
    try:
        import zarr
    except ImportError:
        raise ImportError(
            "out='...zarr' needs Zarr: pip install 'fastmi[dask]' (or pip install zarr), "
            "or write a .npy file instead."
        ) from None
    return zarr


# ---------------------------------------------------------------------------------------
# Docstring entries shared by the public functions
# ---------------------------------------------------------------------------------------

PARAMETER_DOCS = {
    "method": """method : {"auto", "discrete", "hist", "ksg", "ksg2", "lnc", "mixed", "gcmi"}
        The estimator, "auto" by default, which picks it from the dtypes alone: all
        discrete (int, bool, str, categorical) -> ``"discrete"``; all continuous
        (float, datetime, timedelta) -> ``"ksg"``; one discrete and one continuous ->
        ``"mixed"``. ``"discrete"``: plug-in estimate from the contingency table of the
        labels (float data is accepted, its distinct values used as labels). ``"hist"``:
        bin each continuous column, then ``"discrete"``. ``"ksg"``, ``"ksg2"``:
        Kraskov-Stoegbauer-Grassberger k-nearest-neighbour algorithms 1 and 2
        (max-norm); integer input is cast to float. ``"lnc"``: KSG with the local
        non-uniformity correction (Gao et al. 2015) for strongly dependent variables;
        needs k greater than the joint dimension. ``"mixed"``: Ross (2014) for one
        discrete and one continuous variable, counting atoms (repeated values) exactly,
        Gao et al. (2017) for other data with atoms or ties. ``"gcmi"``:
        Gaussian-copula MI (Ince et al. 2017), rank-based, a lower bound that works in
        high dimensions. :doc:`/estimators` details each.
        A mapping from pair kind, ``"discrete"``, ``"continuous"`` or ``"mixed"`` (one
        of each), to a method picks per pair, the kinds not named following
        ``"auto"``: ``{"continuous": "gcmi"}`` keeps labels on ``"discrete"`` and
        ``"mixed"`` and puts float pairs on gcmi.""",
    "k": """k : int, default 3
        Neighbours for the kNN estimators; must be less than the number of samples.
        Smaller k: less bias, more variance. Ignored by the table estimators.""",
    "bins": """bins : int or {"auto", "sqrt", "sturges", "fd"}, default "auto"
        Bins per column for ``method="hist"``. ``"auto"`` is floor(sqrt(n/5)), about
        5 samples per cell of a two-variable table (Cellucci et al. 2005); ``"sqrt"``,
        ``"sturges"`` and ``"fd"`` are numpy's rules of those names. Rules give at
        most n bins. Ignored by other methods.""",
    "binning": """binning : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal-width bins over [min, max], as np.histogram.
        ``"quantile"``: equal-frequency bins; ties may merge bins.""",
    "jitter": """jitter : float, default 1e-10
        kNN estimators: after scaling each column to unit variance, add Gaussian
        noise of standard deviation ``jitter * max(1, mean |x|)`` to break ties, as
        Kraskov et al. advise and scikit-learn does. 0 turns it off.""",
    "random_state": """random_state : int or None, default 0
        Seeds the jitter. A column's noise depends only on random_state and the
        column's own values, so results are reproducible and a column is jittered the
        same way in every call. None draws a fresh seed.""",
    "clip": """clip : bool, default False
        kNN estimators can return slightly negative values for independent data;
        ``clip=True`` clips them at 0, as scikit-learn does.""",
    "base": """base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.""",
    "normalize": """normalize : {None, "corr", "arithmetic", "geometric", "min", "max", "joint"}
        ``"corr"``: sqrt(1 - exp(-2 I)) with I in nats, the correlation scale (``|rho|``
        for a bivariate Gaussian; 0 for negative estimates), for every method. The
        others, for the table estimators only, divide I by the arithmetic or geometric
        mean, the minimum or the maximum of H(X) and H(Y), or by H(X, Y); 0 when that
        is 0. Normalised values are unitless (``base`` is ignored).""",
}


def with_parameters(*names):
    """Fill the ``{parameters}`` slot of a docstring with the shared entries."""

    def decorate(function):
        entries = "\n    ".join(PARAMETER_DOCS[name] for name in names)
        function.__doc__ = function.__doc__.replace("{parameters}", entries)
        return function

    return decorate
