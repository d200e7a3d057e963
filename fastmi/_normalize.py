"""Normalised MI: the correlation scale for every estimator, NMI for table estimators."""

from __future__ import annotations

import numpy as np


def finish(mi, opt, h_x=None, h_y=None):
    """MI in nats (a scalar or an array) to what the user gets: clipped at 0 with
    ``clip`` (NaN stays NaN), then divided by log(base), or normalised. ``fastmi.mi``
    and every tile finish their values with this one function."""
    mi = np.asarray(mi, dtype=np.float64)
    if opt.clip:
        mi = np.where(np.isnan(mi), mi, np.maximum(mi, 0.0))
    if opt.normalize is None:
        return mi / opt.log_base
    return normalized(mi, opt.normalize, h_x, h_y)


def normalized(mi, normalize: str, h_x=None, h_y=None):
    """Normalise MI in nats (scalars or arrays; entropies in nats).

    - "corr": sqrt(1 - exp(-2 I)), the correlation scale: |rho| for a bivariate
      Gaussian; negative estimates map to 0.
    - "arithmetic", "geometric", "min", "max": I divided by the mean, geometric mean,
      minimum or maximum of H(X) and H(Y); "joint": I / H(X, Y).
    A zero denominator (a constant variable, which shares nothing) gives 0.
    """
    mi = np.asarray(mi, dtype=np.float64)
    if normalize == "corr":
        with np.errstate(invalid="ignore"):
            return np.sqrt(np.maximum(0.0, -np.expm1(-2.0 * mi)))
    h_x = np.asarray(h_x, dtype=np.float64)
    h_y = np.asarray(h_y, dtype=np.float64)
    denominator = {
        "arithmetic": (h_x + h_y) / 2,
        "geometric": np.sqrt(h_x * h_y),
        "min": np.minimum(h_x, h_y),
        "max": np.maximum(h_x, h_y),
        "joint": h_x + h_y - mi,
    }[normalize]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, mi / np.where(denominator > 0, denominator, 1.0), 0.0)
