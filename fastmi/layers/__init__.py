"""Comparing representations: the layers of a network as arrays (n_samples, n_units).

- :func:`layer_mi`: the MI between two whole layers, with warnings where it cannot be
  trusted;
- :func:`layer_similarity`: a layer x layer matrix of bounded scores (the mean
  informational correlation of canonical directions, linear CKA, debiased CKA) or MI,
  with an optional permutation baseline;
- :func:`unit_matching`: each unit's best partner in another layer;
- :func:`information_plane`: I(X;T) and I(T;Y) per layer and epoch.

Inputs may be NumPy arrays, DataFrames, or tensors with ``__array__`` or
``__dlpack__`` (torch, JAX, CuPy), which are read without importing their libraries.
"""

from ._matching import UnitMatching, unit_matching
from ._mi import layer_mi
from ._plane import information_plane
from ._similarity import LayerSimilarity, layer_similarity

__all__ = [
    "LayerSimilarity",
    "UnitMatching",
    "information_plane",
    "layer_mi",
    "layer_similarity",
    "unit_matching",
]
