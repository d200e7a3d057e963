"""Normalised MI: the correlation scale for every estimator, NMI for table estimators."""

from __future__ import annotations

import numpy as np

from ._validation import InvalidParameterError

#: normalize= values; all but "corr" divide by entropies, so need a table estimator.
NORMALIZATIONS = ("corr", "arithmetic", "geometric", "min", "max", "joint")
TABLE_ESTIMATORS = ("discrete", "hist")


def check_normalize(normalize, estimators) -> None:
    """normalize is None or a known name that fits every estimator in use."""
    if normalize is None:
        return
    if not isinstance(normalize, str) or normalize not in NORMALIZATIONS:
        listed = ", ".join(repr(v) for v in NORMALIZATIONS)
        raise InvalidParameterError(
            f"normalize must be None or one of {listed}; got {normalize!r}."
        )
    if normalize != "corr":
        other = sorted(set(estimators) - set(TABLE_ESTIMATORS))
        if other:
            raise InvalidParameterError(
                f"normalize={normalize!r} divides by entropies, which only the table "
                f"estimators ('discrete', 'hist') provide; the estimator here is "
                f"{other[0]!r}. Use normalize='corr', which works for every method."
            )


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
