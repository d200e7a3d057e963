"""Layers as float64 arrays of shape (n_samples, n_units): from NumPy, pandas, or any
tensor with ``__array__`` or ``__dlpack__`` (torch, JAX, CuPy) without importing its
library; checks that name the layer and the fix; optional PCA or random projection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .._options import check_choice, check_int
from .._validation import InvalidParameterError

REDUCTIONS = ("pca", "random")


def _to_numpy(data, name: str) -> np.ndarray:
    """``np.asarray`` for arrays, lists and objects with ``__array__``; DLPack for
    tensors that only speak it. A tensor on a GPU or one that needs gradients cannot
    be read as host memory: the error says how to hand it over."""
    try:
        if hasattr(data, "__array__") or not hasattr(data, "__dlpack__"):
            return np.asarray(data)
        return np.from_dlpack(data)
    except (RuntimeError, BufferError, TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"{name} could not be read as a NumPy array ({type(exc).__name__}: {exc}). "
            f"Pass host memory: for a torch tensor, {name}.detach().cpu(); for JAX or "
            f"CuPy, move it to the CPU first."
        ) from None


def as_layer(data, name: str) -> np.ndarray:
    """A finite float64 C-contiguous array (n_samples, n_units), or a clear error."""
    array = _to_numpy(data, name)
    if array.ndim != 2:
        hint = (
            f" For a single unit pass {name}.reshape(-1, 1)."
            if array.ndim == 1
            else f" Flatten the units first: {name}.reshape(len({name}), -1)."
            if array.ndim > 2
            else ""
        )
        raise InvalidParameterError(
            f"{name} must be 2-D (n_samples, n_units); got shape {array.shape}.{hint}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise InvalidParameterError(
            f"{name} has shape {array.shape}; it needs at least one sample and one unit."
        )
    if array.dtype.kind not in "biuf":
        raise InvalidParameterError(
            f"{name} has dtype {array.dtype}; layer activations must be numeric."
        )
    values = np.ascontiguousarray(array, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        row, unit = np.argwhere(bad)[0]
        raise InvalidParameterError(
            f"{name} contains NaN or inf (first at sample {row}, unit {unit}); drop or "
            f"impute them first."
        )
    return values


def check_samples(layers: dict[str, np.ndarray]) -> int:
    """Every layer has the same number of samples (rows); return it."""
    counts = {name: layer.shape[0] for name, layer in layers.items()}
    if len(set(counts.values())) > 1:
        described = ", ".join(f"{name}: {n}" for name, n in counts.items())
        raise InvalidParameterError(
            f"every layer must have the same number of samples (rows, the same inputs in "
            f"the same order); got {described}."
        )
    return next(iter(counts.values()))


def named_layers(layers, what: str = "layers") -> tuple[list[str], list, bool]:
    """(names, arrays, named) of a dict of named layers or a sequence of layers."""
    if isinstance(layers, Mapping):
        names, arrays, named = [str(key) for key in layers], list(layers.values()), True
    elif isinstance(layers, Sequence) and not isinstance(layers, (str, bytes)):
        names, arrays, named = [f"{what}[{i}]" for i in range(len(layers))], list(layers), False
    else:
        raise InvalidParameterError(
            f"{what} must be a dict of named layers or a list of layers, each an array "
            f"(n_samples, n_units); got {type(layers).__name__}."
        )
    if not arrays:
        raise InvalidParameterError(f"{what} is empty; pass at least one layer.")
    return names, arrays, named


def check_reduction(n_components, reduce: str) -> int | None:
    if n_components is not None:
        n_components = check_int(n_components, "n_components", min_value=1)
    check_choice(reduce, "reduce", REDUCTIONS)
    return n_components


def reduced(layer: np.ndarray, n_components: int | None, how: str, seed: int) -> np.ndarray:
    """The layer projected on ``n_components`` directions: its leading principal
    components (``"pca"``) or a Gaussian random projection (``"random"``, seeded by
    ``seed``, Johnson-Lindenstrauss). A layer of at most that many units is kept."""
    if n_components is None or n_components >= layer.shape[1]:
        return layer
    centred = layer - layer.mean(axis=0)
    if how == "random":
        rng = np.random.default_rng(seed)
        projection = rng.normal(size=(layer.shape[1], n_components)) / np.sqrt(n_components)
        return np.ascontiguousarray(centred @ projection)
    # PCA from the (units x units) covariance: n d^2, far cheaper than an SVD of the
    # (samples x units) matrix for n >> d; eigh sorts eigenvalues ascending. The
    # covariance is formed from the layer scaled to max |value| 1, which leaves the
    # directions as they are and keeps the products of huge (1e160) or tiny (1e-170)
    # activations from overflowing or underflowing (test_reduction_of_extreme_scales).
    scale = np.abs(centred).max()
    scaled = centred / scale if scale > 0 else centred
    _, vectors = np.linalg.eigh(scaled.T @ scaled)
    return np.ascontiguousarray(centred @ vectors[:, ::-1][:, :n_components])
