"""Linear CKA and debiased linear CKA (Kornblith et al. 2019) without n x n matrices
where the layers are narrower than the sample: every term is a sum over the units.

With centred activations X (n, d_x), Y (n, d_y), linear kernels K = X X^T, L = Y Y^T:

- HSIC (biased, Gretton et al. 2005) is proportional to tr(K L) = ||X^T Y||_F^2, and
  CKA = ||X^T Y||_F^2 / (||X^T X||_F ||Y^T Y||_F).
- The unbiased HSIC of Song et al. (2012), with K~, L~ the kernels with zero diagonal:
  [tr(K~ L~) + 1'K~1 1'L~1 / ((n-1)(n-2)) - 2 1'K~L~1 / (n-2)] / (n (n-3)).
  Translations of X add row and column constants to K, which this estimator ignores,
  so X may be centred; then 1'K~1 = -sum_i k_i and K~1 = -k with k_i = ||x_i||^2,
  and tr(K~ L~) = ||X^T Y||_F^2 - k.l: everything costs O(n d) but the cross product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import InvalidParameterError


@dataclass(frozen=True)
class CenteredLayer:
    """A centred layer, kept as its activations (n, d) or, when it has more units than
    samples, as its Gram matrix X X^T (n, n), whichever is smaller."""

    values: np.ndarray
    gram: bool
    row_norms: np.ndarray  # k_i = ||x_i||^2, the diagonal of K
    self_product: float  # ||X^T X||_F^2 = tr(K K)

    def permuted(self, permutation: np.ndarray) -> CenteredLayer:
        values = self.values[permutation]
        if self.gram:
            values = values[:, permutation]
        return CenteredLayer(values, self.gram, self.row_norms[permutation], self.self_product)


def constant_layer_error(name: str) -> InvalidParameterError:
    return InvalidParameterError(
        f"{name} is constant (every unit has zero variance), so its similarity with any "
        f"layer is undefined (CKA is 0 / 0, and it has no canonical direction for "
        f"'mi_corr' or 'mi'); drop it."
    )


def centred_layer(layer: np.ndarray, name: str) -> CenteredLayer:
    """The centred layer scaled to max |value| 1: CKA is invariant to isotropic
    scaling, and the products of activations of 1e160 or 1e-170 would overflow or
    underflow (test_cka_of_extreme_scales). A constant layer raises: it is told from
    each unit's range (max == min), not from a norm that could underflow."""
    constant = layer.max(axis=0) == layer.min(axis=0)
    if constant.all():
        raise constant_layer_error(name)
    centred = layer - layer.mean(axis=0)
    centred[:, constant] = 0.0  # not the rounding residue of the mean
    centred /= np.abs(centred).max()
    row_norms = np.einsum("ij,ij->i", centred, centred)
    gram = centred.shape[1] > centred.shape[0]
    values = centred @ centred.T if gram else centred
    return CenteredLayer(values, gram, row_norms, _cross(values, gram, values, gram))


def _cross(x: np.ndarray, x_gram: bool, y: np.ndarray, y_gram: bool) -> float:
    """||X^T Y||_F^2 = tr(K L) from activations or Gram matrices."""
    if not x_gram and not y_gram:
        return float(np.square(x.T @ y).sum())
    if x_gram and y_gram:
        return float(np.einsum("ij,ij->", x, y))
    k, features = (x, y) if x_gram else (y, x)
    return float(np.einsum("ij,ij->", features, k @ features))  # tr(Y^T K Y)


def cka(x: CenteredLayer, y: CenteredLayer) -> float:
    """Linear CKA in [0, 1]."""
    cross = _cross(x.values, x.gram, y.values, y.gram)
    return cross / np.sqrt(x.self_product * y.self_product)


def unbiased_hsic(x: CenteredLayer, y: CenteredLayer, cross: float) -> float:
    """Song et al.'s unbiased HSIC of two centred layers (up to a positive constant
    common to all pairs of the same n, which cancels in CKA)."""
    n = x.row_norms.shape[0]
    kl = float(x.row_norms @ y.row_norms)
    sums = float(x.row_norms.sum() * y.row_norms.sum())
    return (cross - kl * n / (n - 2) + sums / ((n - 1) * (n - 2))) / (n * (n - 3))


def debiased_cka(x: CenteredLayer, y: CenteredLayer) -> float:
    """Linear CKA with the unbiased HSIC estimator; near 0 for independent layers
    (either sign), NaN when a self-similarity estimate is not positive (tiny n)."""
    hxy = unbiased_hsic(x, y, _cross(x.values, x.gram, y.values, y.gram))
    hxx = unbiased_hsic(x, x, x.self_product)
    hyy = unbiased_hsic(y, y, y.self_product)
    if hxx <= 0 or hyy <= 0:
        return float("nan")
    return hxy / np.sqrt(hxx * hyy)
