"""Public estimators of one variable, one pair, or a pair given a third variable."""

from __future__ import annotations

import math

import numpy as np

from ._binning import BINNINGS, bin_codes, check_bins, n_bins_for
from ._dispatch import CORRECTIONS, METHODS, discrete_mi_kernel, resolve_method
from ._encode import combine_codes, integer_codes, joint_codes
from ._validation import (
    InvalidParameterError,
    as_columns,
    as_float_column,
    check_base,
    check_choice,
    check_same_length,
)
from .kernels._discrete import _discrete_cmi, _discrete_entropy


def _check_options(method, bins, binning, correction, base):
    check_choice(method, "method", METHODS)
    check_bins(bins)
    check_choice(binning, "binning", BINNINGS)
    if correction not in CORRECTIONS:
        raise InvalidParameterError(
            f"correction must be None or 'miller-madow'; got {correction!r}."
        )
    return check_base(base)


def _variables(**arrays) -> tuple[dict[str, list], int]:
    variables = {name: as_columns(array, name) for name, array in arrays.items()}
    return variables, check_same_length(variables)


def _codes(columns, estimator: str, bins, binning: str) -> tuple[np.ndarray, int]:
    """Compact codes of one (joint) variable for a discrete-table estimator."""
    if estimator == "discrete":
        return joint_codes(columns)
    codes, n_levels = None, 1
    for label, column in columns:
        values = as_float_column(column, label, estimator)
        n_bins = n_bins_for(values, bins)
        binned, n_binned = integer_codes(bin_codes(values, n_bins, binning, label))
        if codes is None:
            codes, n_levels = binned, n_binned
        else:
            codes, n_levels = combine_codes(codes, n_levels, binned, n_binned)
    return codes, n_levels


def entropy(
    x, *, method="auto", bins="auto", binning="uniform", correction=None, base=math.e
) -> float:
    """Entropy of a variable from its samples, in nats (``base=2`` for bits).

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, n_dims)
        Samples of one variable; a 2-D array (or DataFrame) is one joint variable whose
        value is the row. Integer, bool, string and pandas categorical columns are
        labels; any label values work (negative, huge, sparse).
    method : {"auto", "discrete", "hist"}, default "auto"
        ``"discrete"``: plug-in entropy of the labels. ``"hist"``: plug-in entropy of
        the binned values (the entropy of the histogram, *not* a differential entropy).
        ``"auto"`` picks ``"discrete"`` for discrete dtypes; continuous data needs an
        explicit ``method="hist"`` in this version.
    bins : int or {"auto", "sqrt", "sturges", "fd"}, default "auto"
        Bins per column for ``method="hist"``: a count, or a rule (see
        :func:`fastmi.mi`). Ignored by other methods.
    binning : {"uniform", "quantile"}, default "uniform"
        Equal-width or equal-frequency bins for ``method="hist"``.
    correction : {None, "miller-madow"}, default None
        ``"miller-madow"`` adds (m - 1) / (2 n) nats, m the number of non-empty
        levels, to offset the plug-in estimator's downward bias (Miller 1955).
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    float
        H(X) >= 0 (without correction, at most log of the number of levels).

    Raises
    ------
    InvalidParameterError
        Empty input, NaN/inf, more than 2 dimensions, mixed-type object columns, or a
        bad parameter. The message names the offending argument or column.

    See Also
    --------
    fastmi.mi, fastmi.cmi, fastmi.info.entropy : entropy of a probability table.

    References
    ----------
    .. [1] C. E. Shannon, "A mathematical theory of communication", Bell System
       Technical Journal 27, 379-423 (1948).
    .. [2] G. A. Miller, "Note on the bias of information estimates", in Information
       Theory in Psychology, H. Quastler (ed.), 95-100 (1955).
    .. [3] L. Paninski, "Estimation of entropy and mutual information", Neural
       Computation 15, 1191-1253 (2003).

    Examples
    --------
    >>> import fastmi
    >>> fastmi.entropy(["a", "b", "a", "b"], base=2)
    1.0
    """
    log_base = _check_options(method, bins, binning, correction, base)
    variables, n = _variables(x=x)
    estimator = resolve_method(method, variables)
    codes, n_levels = _codes(variables["x"], estimator, bins, binning)
    value, m = _discrete_entropy(codes, n_levels)
    if correction == "miller-madow":
        value += (m - 1) / (2 * n)
    return float(value / log_base)


def mi(
    x, y, *, method="auto", bins="auto", binning="uniform", correction=None, base=math.e
) -> float:
    """Mutual information I(X;Y) between two variables from paired samples, in nats.

    Parameters
    ----------
    x, y : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples (row i of x goes with row i of y). A 2-D array or DataFrame is
        one joint variable whose value is the row. Integer, bool, string and pandas
        categorical columns are labels, mapped to codes once whatever their values.
    method : {"auto", "discrete", "hist"}, default "auto"
        ``"discrete"``: plug-in MI of the contingency table of the labels (float data
        is accepted and its distinct values used as labels). ``"hist"``: bin each
        continuous column, then ``"discrete"``. ``"auto"`` picks ``"discrete"`` when
        both variables have discrete dtypes; for float data it raises
        NotImplementedError until the KSG estimator lands (pass ``method="hist"``).
    bins : int or {"auto", "sqrt", "sturges", "fd"}, default "auto"
        Bins per column for ``method="hist"``. ``"auto"`` is floor(sqrt(n/5)), about 5
        samples per cell of a two-variable table (Cellucci et al. 2005); ``"sqrt"``,
        ``"sturges"`` and ``"fd"`` are numpy's rules of those names. Rules give at most
        n bins. Ignored by other methods.
    binning : {"uniform", "quantile"}, default "uniform"
        ``"uniform"``: equal-width bins over [min, max], as np.histogram. ``"quantile"``:
        equal-frequency bins; ties may merge bins.
    correction : {None, "miller-madow"}, default None
        ``"miller-madow"`` applies Miller's bias correction to each entropy in
        I = H(X) + H(Y) - H(X,Y), adding (m_x + m_y - m_xy - 1) / (2 n) nats, with m the
        numbers of non-empty cells. The corrected value can be negative.
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    float
        The plug-in estimate, 0 <= I <= min(H(X), H(Y)) without correction.

    Raises
    ------
    InvalidParameterError
        Mismatched lengths, empty input, NaN/inf, more than 2 dimensions, mixed-type
        object columns, or a bad parameter; the message names the argument or column.
    NotImplementedError
        ``method="auto"`` on continuous data (see ``method``).

    Notes
    -----
    The contingency table is counted densely when the number of level combinations is
    small and by a grouped sparse count (memory O(n + levels)) otherwise; both give the
    same value to rounding. The plug-in estimator is biased upward by about
    (m_x - 1)(m_y - 1) / (2 n) nats for independent variables [3]_.

    See Also
    --------
    fastmi.entropy, fastmi.cmi, fastmi.info.mutual_info : MI of a probability table.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley (2006), ch. 2.
    .. [2] G. A. Miller, "Note on the bias of information estimates", in Information
       Theory in Psychology, H. Quastler (ed.), 95-100 (1955).
    .. [3] L. Paninski, "Estimation of entropy and mutual information", Neural
       Computation 15, 1191-1253 (2003).
    .. [4] C. J. Cellucci, A. M. Albano and P. E. Rapp, "Statistical validation of
       mutual information calculations: comparison of alternative numerical
       algorithms", Physical Review E 71, 066208 (2005).

    Examples
    --------
    >>> import fastmi
    >>> outlook = ["sun", "sun", "rain", "rain", "cloud", "cloud"]
    >>> play = ["no", "no", "yes", "yes", "yes", "yes"]
    >>> round(fastmi.mi(outlook, play, base=2), 4)
    0.9183
    """
    log_base = _check_options(method, bins, binning, correction, base)
    variables, n = _variables(x=x, y=y)
    estimator = resolve_method(method, variables)
    cx, n_x = _codes(variables["x"], estimator, bins, binning)
    cy, n_y = _codes(variables["y"], estimator, bins, binning)
    value, m_x, m_y, m_xy = discrete_mi_kernel(n_x, n_y, n)(cx, cy, n_x, n_y)
    if correction == "miller-madow":
        value += (m_x + m_y - m_xy - 1) / (2 * n)
    return float(value / log_base)


def cmi(
    x, y, z, *, method="auto", bins="auto", binning="uniform", correction=None, base=math.e
) -> float:
    """Conditional mutual information I(X;Y|Z) from paired samples, in nats.

    I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z): what X and Y share beyond what Z
    explains. Parameters are those of :func:`fastmi.mi`, with ``z`` a third variable
    (1-D or 2-D) of the same length; ``method="auto"`` picks ``"discrete"`` when all
    three are discrete.

    Parameters
    ----------
    x, y, z : array-like of shape (n_samples,) or (n_samples, n_dims)
        Paired samples of the three variables.
    method : {"auto", "discrete", "hist"}, default "auto"
        As in :func:`fastmi.mi`.
    bins : int or {"auto", "sqrt", "sturges", "fd"}, default "auto"
        As in :func:`fastmi.mi`.
    binning : {"uniform", "quantile"}, default "uniform"
        As in :func:`fastmi.mi`.
    correction : {None, "miller-madow"}, default None
        Miller's correction of each of the four entropies: adds
        (m_xz + m_yz - m_xyz - m_z) / (2 n) nats.
    base : float, default math.e
        Base of the logarithm: e for nats, 2 for bits.

    Returns
    -------
    float
        The plug-in estimate, >= 0 without correction.

    See Also
    --------
    fastmi.mi, fastmi.entropy

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory", 2nd ed.,
       Wiley (2006), sec. 2.5.

    Examples
    --------
    >>> import fastmi
    >>> z = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> x = [0, 1, 0, 1, 0, 1, 0, 1]
    >>> y = [0, 1, 0, 1, 1, 0, 1, 0]  # y = x XOR z
    >>> fastmi.mi(x, y), fastmi.cmi(x, y, z, base=2)
    (0.0, 1.0)
    """
    log_base = _check_options(method, bins, binning, correction, base)
    variables, n = _variables(x=x, y=y, z=z)
    estimator = resolve_method(method, variables)
    cx, n_x = _codes(variables["x"], estimator, bins, binning)
    cy, n_y = _codes(variables["y"], estimator, bins, binning)
    cz, n_z = _codes(variables["z"], estimator, bins, binning)
    cxy, n_xy = combine_codes(cx, n_x, cy, n_y)
    value, m_xz, m_yz, m_xyz, m_z = _discrete_cmi(cx, cy, cxy, cz, n_x, n_y, n_xy, n_z)
    if correction == "miller-madow":
        value += (m_xz + m_yz - m_xyz - m_z) / (2 * n)
    return float(value / log_base)
