"""Gaussian-copula canonical correlations of two layers: each unit to normal scores of
its ranks (as ``method="gcmi"``), an orthonormal basis of each layer's scores, and the
canonical correlations from the product of two bases (the square roots of the
eigenvalues of its smaller Gram product).

For Gaussian variables the MI of two blocks is -1/2 sum_i log(1 - rho_i^2) over their
canonical correlations rho_i (Kullback 1959, Cover & Thomas 2006 ex. 8.8): the same
number as the log-determinant form of fastmi.mi(A, B, method="gcmi"), from a basis
computed once per layer, so that a layer x layer matrix costs one product per pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..estimators.gcmi import _bias, copula_scores

#: 1 - rho below this is rounding of an exact linear relation between the normal scores
#: (identical or monotone-related units): rho is taken as 1 and the MI as infinite
#: (test_identical_layers).
PERFECT = 1e-12


@dataclass(frozen=True)
class ScoreBasis:
    """Orthonormal columns (n, rank) spanning a layer's centred normal scores.

    ``units``: the layer's non-constant units (constant ones carry no information).
    ``rank`` can be lower than ``units`` when units repeat each other exactly.
    """

    basis: np.ndarray
    units: int

    @property
    def rank(self) -> int:
        return self.basis.shape[1]

    def permuted(self, permutation: np.ndarray) -> ScoreBasis:
        """The same layer with its samples in another order (a permutation null)."""
        return ScoreBasis(self.basis[permutation], self.units)


def _whiten(centred: np.ndarray) -> np.ndarray:
    """centred (n, d) -> orthonormal (n, r) spanning the same columns.

    Cholesky of the d x d Gram matrix G = L L' and centred L'^{-1}: n d^2 work, far
    cheaper than an SVD or QR of the n x d matrix for n >> d (bench/layers.py). When G
    is numerically singular (units that repeat a linear combination of others) the
    eigenvectors of G are used instead, dropping the null directions at the tolerance
    of numpy's matrix_rank."""
    gram = centred.T @ centred
    scale = gram.diagonal().max(initial=0.0)
    tolerance = scale * max(centred.shape) * np.finfo(float).eps
    try:
        lower = np.linalg.cholesky(gram)
        if np.square(lower.diagonal()).min(initial=np.inf) > tolerance:
            return centred @ np.linalg.inv(lower).T
    except np.linalg.LinAlgError:
        pass
    values, vectors = np.linalg.eigh(gram)
    keep = values > tolerance
    return centred @ (vectors[:, keep] / np.sqrt(values[keep]))


def score_basis(layer: np.ndarray, name: str) -> ScoreBasis:
    """The ScoreBasis of a finite float64 layer (n, d)."""
    columns = [(f"{name}[:, {j}]", layer[:, j]) for j in range(layer.shape[1])]
    scores = copula_scores(columns)  # (d', n), constant units dropped
    if scores.shape[0] == 0:
        return ScoreBasis(np.zeros((layer.shape[0], 0)), 0)
    centred = (scores - scores.mean(axis=1, keepdims=True)).T
    # Whitening twice makes the basis orthonormal to rounding even for ill-conditioned
    # scores (the second pass sees a condition number near 1: CholeskyQR2, Fukaya et
    # al. 2014), so that rho of identical layers is 1 to 1e-15 (test_mi_corr_bounds).
    basis = _whiten(_whiten(centred))
    return ScoreBasis(np.ascontiguousarray(basis), scores.shape[0])


def canonical_correlations(a: ScoreBasis, b: ScoreBasis) -> np.ndarray:
    """The min(rank_a, rank_b) canonical correlations of two layers' normal scores,
    in [0, 1], descending; those within PERFECT of 1 are exactly 1."""
    if a.rank == 0 or b.rank == 0:
        return np.zeros(0)
    cross = a.basis.T @ b.basis
    # rho^2 are the eigenvalues of the smaller of cross cross' and cross' cross: half
    # the work of singular values, the same accuracy near rho = 1 (1 - rho^2 to 1e-16)
    small = cross @ cross.T if a.rank <= b.rank else cross.T @ cross
    rho = np.sqrt(np.clip(np.linalg.eigvalsh(small)[::-1], 0.0, 1.0))
    rho[rho >= 1.0 - PERFECT] = 1.0
    return rho


def gaussian_bias(d_a: int, d_b: int, n: int) -> float:
    """The expected excess of the Gaussian MI of d_a and d_b dimensions under the
    log-determinant bias of sample covariances (what ``correction="gaussian"``
    removes in fastmi.mi)."""
    if d_a == 0 or d_b == 0:
        return 0.0
    return 0.5 * (_bias(d_a, n) + _bias(d_b, n) - _bias(d_a + d_b, n))


def mi_of_correlations(rho: np.ndarray) -> np.ndarray:
    """-1/2 log(1 - rho_i^2) per canonical direction, in nats (inf at rho = 1)."""
    with np.errstate(divide="ignore"):
        return -0.5 * np.log1p(-np.square(rho))


def layer_mi_nats(a: ScoreBasis, b: ScoreBasis, n: int, correct: bool) -> tuple[float, np.ndarray]:
    """(Gaussian-copula MI in nats, canonical correlations) of two layers."""
    rho = canonical_correlations(a, b)
    value = float(mi_of_correlations(rho).sum())
    if correct and math.isfinite(value):
        value -= gaussian_bias(a.rank, b.rank, n)
    return value, rho


def mean_informational_correlation(rho: np.ndarray) -> float:
    """The mean over canonical directions of sqrt(1 - exp(-2 I_i)), I_i the MI of
    direction i: for Gaussian-copula MI that is the mean canonical correlation. 0 when
    a layer is constant (no direction)."""
    return float(rho.mean()) if rho.size else 0.0
