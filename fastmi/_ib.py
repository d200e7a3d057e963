"""The information bottleneck of a known joint distribution: the optimal trade-off
between compressing X into Z (I(X;Z)) and keeping what X says about Y (I(Z;Y)).

- :func:`information_bottleneck`: one encoder q(z|x) at one beta, by the iterative IB
  of Tishby, Pereira & Bialek (1999) or the deterministic IB of Strouse & Schwab
  (2017), for a joint table p(x, y);
- :func:`ib_curve`: the curve over beta, annealed, for a table, samples of two
  discrete variables, or (closed form, Chechik et al. 2005) jointly Gaussian X, Y.

Re-exported from :mod:`fastmi.info`; the updates run in :mod:`fastmi.kernels._ib`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from ._encode import joint_codes
from ._options import check_base, check_choice, check_int, check_random_state
from ._validation import InvalidParameterError, as_columns, check_same_length
from .kernels._ib import _ib_cross_entropy, _ib_iterate

__all__ = ["IBResult", "ib_curve", "information_bottleneck"]

#: n_clusters=None gives one cluster per distinct row of p(y|x), at most this many.
MAX_DEFAULT_CLUSTERS = 64
#: Rows of p(y|x) equal after rounding to this many decimals count as one.
ROW_DECIMALS = 12
#: Annealing mixes this much of a random encoder into the previous solution, so that
#: clusters which coincide below a critical beta can split above it.
PERTURBATION = 1e-2
#: A seeding distance KL[p(y|x) || (1 - s) p(y|seed) + s p(y)] stays finite.
SEED_SMOOTHING = 1e-6
#: Most up-and-down passes of ib_curve's repair of crossed neighbours; each pass that
#: changes a point strictly lowers its objective, and in practice one or two suffice.
MAX_SWEEPS = 50


@dataclass(frozen=True)
class IBResult:
    """An information bottleneck solution (:func:`information_bottleneck`).

    Attributes
    ----------
    encoder : ndarray of shape (n_x, n_clusters)
        q(z|x): row x is the distribution of the cluster Z given X = x (0/1 for the
        deterministic IB). Clusters may be empty (a column of zeros).
    beta : float
        The trade-off parameter.
    kind : str
        "ib" or "deterministic".
    ixz, izy, hz : float
        I(X;Z), I(Z;Y) and H(Z) of the encoder, in units of ``base``.
    objective : float
        I(X;Z) - beta I(Z;Y) ("ib") or H(Z) - beta I(Z;Y) ("deterministic").
    converged : bool
        Whether the last iteration lowered the objective by at most ``tol`` and moved
        no entry of the encoder by more than sqrt(tol) (False: ``max_iter`` was
        reached first).
    n_iter : int
        Updates of the encoder performed.
    history : ndarray of shape (n_iter + 1,)
        The objective of the starting encoder and after each update; never increases.
    """

    encoder: np.ndarray = field(repr=False)
    beta: float
    kind: str
    ixz: float
    izy: float
    hz: float
    objective: float
    converged: bool
    n_iter: int
    history: np.ndarray = field(repr=False)


@dataclass(frozen=True)
class _Table:
    """A validated joint table, with p(y|x) in both sparse layouts the kernels read."""

    px: np.ndarray
    py: np.ndarray
    pyx: np.ndarray  # dense p(y|x), zero rows where p(x) = 0
    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    neg_h: np.ndarray
    groups: np.ndarray  # group of x's row of p(y|x); -1 where p(x) = 0
    n_groups: int


def _table(pxy) -> _Table:
    from .info import _distribution  # the validation of every fastmi.info function

    p = _distribution(pxy, "pxy", ndim=2)
    px, py = p.sum(axis=1), p.sum(axis=0)
    pyx = np.divide(p, px[:, None], out=np.zeros_like(p), where=px[:, None] > 0)
    rows, cols = np.nonzero(p)
    values = np.ascontiguousarray(pyx[rows, cols])
    indptr = np.zeros(p.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=p.shape[0]), out=indptr[1:])
    neg_h = np.zeros(p.shape[0])
    np.add.at(neg_h, rows, values * np.log(values))
    groups = np.full(p.shape[0], -1, dtype=np.int64)
    live = px > 0
    _, codes = np.unique(np.round(pyx[live], ROW_DECIMALS), axis=0, return_inverse=True)
    groups[live] = codes.ravel()
    return _Table(
        px, py, pyx, indptr, cols.astype(np.int64), values, neg_h, groups,
        int(groups.max()) + 1,
    )  # fmt: skip


def _check_beta(beta, name="beta") -> float:
    if (
        isinstance(beta, bool)
        or not isinstance(beta, numbers.Real)
        or not math.isfinite(beta)
        or beta < 0
    ):
        raise InvalidParameterError(
            f"{name} must be a finite real >= 0 (the weight of I(Z;Y) against I(X;Z)); "
            f"got {beta!r}."
        )
    return float(beta)


def _check_tol_iter(tol, max_iter) -> tuple[float, int]:
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not tol >= 0:
        raise InvalidParameterError(f"tol must be a real >= 0 (in nats); got {tol!r}.")
    return float(tol), check_int(max_iter, "max_iter", min_value=1)


def _n_clusters(n_clusters, table: _Table) -> int:
    if n_clusters is None:
        return max(1, min(table.n_groups, MAX_DEFAULT_CLUSTERS))
    return check_int(n_clusters, "n_clusters", min_value=1)


def _seeded_encoders(table: _Table, n_clusters: int, rng) -> list[np.ndarray]:
    """Hard starts with 1, 2, 4, ... and n_clusters clusters: seeds picked at rows of
    p(y|x) k-means++-style (probability ~ p(x) times the KL to the nearest seed so
    far), every x on its nearest seed among the first k. Rows equal to a seed's are
    at distance 0, so with n_clusters >= the number of distinct rows the last start
    has one cluster per distinct row (Z then carries all X says about Y)."""
    n_x = table.px.shape[0]
    n_seeds = min(n_clusters, table.n_groups)
    distance = np.zeros((n_x, n_seeds))
    weights = table.px.copy()
    cross = np.empty((n_x, 1))
    for s in range(n_seeds):
        seed = rng.choice(n_x, p=weights / weights.sum())
        smoothed = (1 - SEED_SMOOTHING) * table.pyx[seed] + SEED_SMOOTHING * table.py
        with np.errstate(divide="ignore"):
            log_seed = np.log(smoothed)[:, None]
        _ib_cross_entropy(table.indptr, table.indices, table.values, log_seed, cross)
        distance[:, s] = np.maximum(table.neg_h - cross[:, 0], 0.0)
        distance[table.groups == table.groups[seed], s] = 0.0
        weights = table.px * distance[:, : s + 1].min(axis=1)
        if weights.sum() <= 0:  # cannot happen while s + 1 < n_groups; a guard
            distance = distance[:, : s + 1]
            break
    sizes = sorted({min(2**i, distance.shape[1]) for i in range(64)} | {distance.shape[1]})
    starts = []
    for k in sizes:
        encoder = np.zeros((n_x, n_clusters))
        encoder[np.arange(n_x), distance[:, :k].argmin(axis=1)] = 1.0
        starts.append(encoder)
    return starts


def _perturbed(encoder: np.ndarray, px: np.ndarray, rng) -> np.ndarray:
    """The start of the next beta: every empty cluster takes half of a used one (the
    heaviest first), split unevenly across x, then 1% of a random encoder is mixed
    in; either lets coinciding clusters part where a critical beta is passed."""
    encoder = encoder.copy()
    mass = px @ encoder
    used = [int(z) for z in np.argsort(-mass, kind="stable") if mass[z] > 1e-12]
    empty = [z for z in range(encoder.shape[1]) if mass[z] <= 1e-12]
    for i, z in enumerate(empty):
        source = used[i % len(used)]
        tilt = 0.5 * (1 + PERTURBATION * rng.uniform(-1, 1, size=encoder.shape[0]))
        encoder[:, z] = encoder[:, source] * tilt
        encoder[:, source] -= encoder[:, z]
    noise = rng.dirichlet(np.ones(encoder.shape[1]), size=encoder.shape[0])
    return (1 - PERTURBATION) * encoder + PERTURBATION * noise


def _run(table, encoder, beta, deterministic, tol, max_iter, log_base, kind) -> IBResult:
    encoder = np.ascontiguousarray(encoder, dtype=np.float64).copy()
    history = np.empty(max_iter + 1)
    n_iter, converged, ixz, izy, hz = _ib_iterate(
        table.indptr, table.indices, table.values, table.px, table.py, table.neg_h,
        encoder, beta, deterministic, tol, max_iter, history,
    )  # fmt: skip
    history = history[: n_iter + 1] / log_base
    return IBResult(
        encoder, beta, kind, ixz / log_base, izy / log_base, hz / log_base,
        float(history[-1]), bool(converged), int(n_iter), history,
    )  # fmt: skip


def _check_init(init, n_x: int, n_clusters) -> np.ndarray:
    if n_clusters is not None:  # its own error first, before init's shape is compared
        n_clusters = check_int(n_clusters, "n_clusters", min_value=1)
    try:
        encoder = np.array(init, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"init must be an array q(z|x); got {init!r}.") from None
    if encoder.ndim != 2 or encoder.shape[0] != n_x:
        raise InvalidParameterError(
            f"init must have shape (n_x, n_clusters) = ({n_x}, n_clusters), one row per "
            f"row of pxy; got shape {encoder.shape}."
        )
    if n_clusters is not None and encoder.shape[1] != n_clusters:
        raise InvalidParameterError(
            f"init has {encoder.shape[1]} columns but n_clusters={n_clusters}; pass "
            f"n_clusters=None to take it from init."
        )
    bad = not np.isfinite(encoder).all() or (encoder < 0).any()
    if bad or not np.allclose(encoder.sum(axis=1), 1.0, atol=1e-9):
        raise InvalidParameterError("init must hold probabilities q(z|x) >= 0 whose rows sum to 1.")
    return encoder / encoder.sum(axis=1, keepdims=True)


def information_bottleneck(
    pxy,
    beta,
    n_clusters=None,
    *,
    kind="ib",
    init=None,
    random_state=0,
    tol=1e-10,
    max_iter=1000,
    base=math.e,
) -> IBResult:
    r"""The information bottleneck encoder of a joint table at one trade-off beta.

    Finds a cluster variable Z of X (an encoder :math:`q(z \mid x)`; Z depends on Y
    only through X) that minimises :math:`I(X;Z) - \beta I(Z;Y)` by the
    self-consistent iteration of Tishby, Pereira & Bialek [1]_:

    .. math::

        q(z) = \sum_x p(x)\, q(z \mid x), \qquad
        q(y \mid z) = \frac{1}{q(z)} \sum_x p(y \mid x)\, p(x)\, q(z \mid x),
        \qquad
        q(z \mid x) \propto q(z)\, e^{-\beta D_{KL}[p(y \mid x) \,\|\, q(y \mid z)]}.

    With ``kind="deterministic"`` it minimises :math:`H(Z) - \beta I(Z;Y)`, the
    deterministic IB of Strouse & Schwab [2]_, whose update puts x entirely on
    :math:`\arg\max_z \log q(z) - \beta D_{KL}[p(y \mid x) \,\|\, q(y \mid z)]`. Both
    alternate exact minimisations of one functional, so the objective never increases
    (``history``); they converge to a local optimum. :func:`ib_curve` anneals over beta
    and keeps the better of several starts, which finds the global curve far more
    reliably than one call.

    :doc:`/bottleneck` explains the iteration, with worked examples.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y)
        Joint probabilities or counts (normalised), X on the rows, as for
        :func:`fastmi.info.mutual_info`.
    beta : float >= 0
        Weight of I(Z;Y) against I(X;Z). Below 1 the optimum is the trivial encoder
        (I(X;Z) = 0); as beta grows, Z keeps more of X's information about Y.
    n_clusters : int >= 1, optional
        Number of values of Z. Default: the number of distinct rows of p(y|x) (then
        I(Z;Y) reaches I(X;Y) at large beta), at most 64.
    kind : {"ib", "deterministic"}, default "ib"
        The soft iterative IB [1]_, or the deterministic IB [2]_ (hard encoders).
    init : array-like of shape (n_x, n_clusters), optional
        The starting encoder (e.g. the solution at a nearby beta). Default: hard
        encoders with clusters seeded k-means++-style at rows of p(y|x) (using
        ``random_state``): first the finest (one cluster per distinct row of p(y|x)
        if ``n_clusters`` allows), then 1, 2, 4, ... seeds wherever such a start
        already scores better than the best result so far; the best result wins.
    random_state : int >= 0 or None, default 0
        Seed of the k-means++ seeding; equal seeds give identical results, None a
        fresh seed (results then vary between calls). Another seed can pick other
        starts, and so another local optimum, when ``n_clusters`` is below the number
        of distinct rows of p(y|x).
    tol : float, default 1e-10
        Stop when the objective falls by at most this much (nats) in one iteration
        and no entry of q(z|x) moves by more than sqrt(tol).
    max_iter : int, default 1000
        Most encoder updates.
    base : float, default math.e
        Base of the logarithm of ``ixz``, ``izy``, ``hz`` and ``objective``.

    Returns
    -------
    IBResult
        ``encoder``, ``ixz``, ``izy``, ``hz``, ``objective``, ``converged``,
        ``n_iter`` and the objective's ``history``.

    See Also
    --------
    ib_curve : the whole curve, annealed over beta; also for Gaussians.
    fastmi.info.mutual_info : I(X;Y), which I(Z;Y) never exceeds.

    References
    ----------
    .. [1] N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck
       method", Proc. 37th Annual Allerton Conference on Communication, Control and
       Computing, 368-377 (1999).
    .. [2] D. J. Strouse and D. J. Schwab, "The deterministic information bottleneck",
       Neural Computation 29(6), 1611-1630 (2017).

    Examples
    --------
    A fair bit through a channel that flips it with probability 0.1 keeps 0.531 bits
    about the input; a large beta keeps all of it:

    >>> from fastmi import info
    >>> result = info.information_bottleneck([[0.45, 0.05], [0.05, 0.45]], beta=50, base=2)
    >>> round(result.izy, 3), round(result.ixz, 3), result.converged
    (0.531, 1.0, True)
    >>> info.information_bottleneck([[0.45, 0.05], [0.05, 0.45]], beta=1.2).ixz < 1e-9
    True
    """
    beta = _check_beta(beta)
    kind = check_choice(kind, "kind", ("ib", "deterministic"))
    log_base = check_base(base)
    tol, max_iter = _check_tol_iter(tol, max_iter)
    seed = check_random_state(random_state)
    table = _table(pxy)
    if init is not None:
        encoder = _check_init(init, table.px.shape[0], n_clusters)
    else:
        rng = np.random.default_rng(seed)
        starts = _seeded_encoders(table, _n_clusters(n_clusters, table), rng)
        return _from_starts(table, starts, beta, kind, tol, max_iter, log_base)
    deterministic = kind == "deterministic"
    return _run(table, encoder, beta, deterministic, tol, max_iter, log_base, kind)


def _cost(result: IBResult, beta: float) -> float:
    """The objective of a solution's encoder at another beta."""
    return (result.hz if result.kind == "deterministic" else result.ixz) - beta * result.izy


def _from_starts(table, starts, beta, kind, tol, max_iter, log_base, best=None):
    """Run the finest start, then each coarser one whose starting objective is already
    below the best so far (a run only lowers its start's objective)."""
    deterministic = kind == "deterministic"
    for start in reversed(starts):
        if best is not None:
            point = _run(table, start, beta, deterministic, tol, 0, log_base, kind)
            if not point.objective < best.objective:
                continue
        result = _run(table, start, beta, deterministic, tol, max_iter, log_base, kind)
        best = result if best is None or result.objective < best.objective else best
    return best


def _best(candidates: list[IBResult]) -> IBResult:
    return min(candidates, key=lambda r: r.objective)  # the first on ties


def _table_curve(table, betas, kind, n_clusters, seed, tol, max_iter, log_base):
    """Anneal up the betas, then repair crossed neighbours until none is left.

    Going up, each beta starts from the previous solution as it is and perturbed
    (:func:`_perturbed`; a hard encoder is not perturbed), and from the seeded hard
    starts wherever one already scores better; the lowest objective wins. Then passes
    down and up the betas restart a point from its neighbour's encoder wherever that
    encoder scores better at this point's beta (a run only lowers its start's
    objective), until a pass changes nothing. Then, with L_b(r) the objective of
    solution r at beta b, every pair of neighbours satisfies both
    L_{b_i}(r_i) <= L_{b_i}(r_{i+1}) and L_{b_{i+1}}(r_{i+1}) <= L_{b_{i+1}}(r_i);
    adding them gives (b_{i+1} - b_i)(I_{i+1}(Z;Y) - I_i(Z;Y)) >= 0, and then the
    first gives I_{i+1}(X;Z) - I_i(X;Z) >= b_i (I_{i+1}(Z;Y) - I_i(Z;Y)) >= 0 (H(Z)
    for the deterministic IB): both are monotone in beta
    (test_curve_monotone_with_few_clusters). Concavity is not enforced."""
    deterministic = kind == "deterministic"
    rng = np.random.default_rng(seed)
    starts = _seeded_encoders(table, _n_clusters(n_clusters, table), rng)

    def run(start, beta):
        return _run(table, start, beta, deterministic, tol, max_iter, log_base, kind)

    results: list[IBResult] = []
    for beta in betas:
        best = None
        if results:
            previous = results[-1].encoder
            best = run(previous, beta)
            if not deterministic:  # a hard encoder cannot split clusters: no perturbation
                best = _best([best, run(_perturbed(previous, table.px, rng), beta)])
        results.append(_from_starts(table, starts, beta, kind, tol, max_iter, log_base, best))

    def repair(i, j):
        """Restart point i from point j's encoder if that scores better at beta_i."""
        if _cost(results[j], betas[i]) < _cost(results[i], betas[i]):
            candidate = run(results[j].encoder, betas[i])
            if _cost(candidate, betas[i]) < _cost(results[i], betas[i]):
                results[i] = candidate
                return True
        return False

    for _ in range(MAX_SWEEPS):
        changed = False
        for i in range(len(betas) - 2, -1, -1):
            changed |= repair(i, i + 1)
        for i in range(1, len(betas)):
            changed |= repair(i, i - 1)
        if not changed:
            break
    return results


def _check_betas(betas, default) -> np.ndarray:
    if betas is None:
        return default
    values = np.atleast_1d(np.asarray(betas, dtype=object))
    if values.ndim != 1 or values.size == 0:
        raise InvalidParameterError(
            f"betas must be a non-empty 1-D sequence of reals >= 0; got {betas!r}."
        )
    checked = [_check_beta(b, "every beta in betas") for b in values.tolist()]
    return np.unique(np.array(checked, dtype=np.float64))


def _samples_table(x, y) -> np.ndarray:
    """The joint table of counts of two discrete variables (labels of any kind)."""
    columns = {"x": as_columns(x, "x"), "y": as_columns(y, "y")}
    check_same_length(columns)
    for name, cols in columns.items():
        for label, column in cols:
            kind = getattr(getattr(column, "dtype", None), "kind", None)
            if kind == "f" and not np.array_equal(np.asarray(column), np.round(column)):
                raise InvalidParameterError(
                    f"{label} holds non-integer floats; ib_curve counts the joint table "
                    f"of discrete labels. Bin continuous {name} first, or pass kind="
                    f"'gaussian' with cov=np.cov(...)."
                )
    (cx, nx), (cy, ny) = joint_codes(columns["x"]), joint_codes(columns["y"])
    counts = np.bincount(cx * ny + cy, minlength=nx * ny).reshape(nx, ny)
    return counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]


def _canonical_correlations(cov, n_x) -> np.ndarray:
    """The canonical correlations rho_i of jointly Gaussian X, Y (descending):
    1 - rho_i^2 are the eigenvalues lambda_i of Sigma_{x|y} Sigma_x^{-1}."""
    try:
        c = np.array(cov, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"cov must be a covariance matrix; got {cov!r}.") from None
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] < 2:
        raise InvalidParameterError(
            f"cov must be a square joint covariance matrix of (X, Y), at least 2 x 2; "
            f"got shape {c.shape}."
        )
    d = c.shape[0]
    if not np.isfinite(c).all():
        raise InvalidParameterError("cov contains NaN or inf.")
    scale = np.abs(c).max()
    if not np.allclose(c, c.T, rtol=1e-10, atol=1e-12 * scale):
        raise InvalidParameterError(
            "cov must be symmetric; got a matrix that differs from its transpose. Pass "
            "(cov + cov.T) / 2 if the asymmetry is rounding."
        )
    n_x = d // 2 if n_x is None else check_int(n_x, "n_x", min_value=1)
    if n_x >= d:
        raise InvalidParameterError(
            f"n_x must be between 1 and {d - 1} (the first n_x coordinates of cov are "
            f"X, the rest Y); got {n_x}."
        )
    c = (c + c.T) / 2
    try:
        np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        smallest = np.linalg.eigvalsh(c)[0]
        raise InvalidParameterError(
            f"cov must be positive definite; its smallest eigenvalue is {smallest:.3g}. "
            f"Drop exactly dependent coordinates, or add a small ridge "
            f"(cov + 1e-9 * np.eye({d}))."
        ) from None
    lx = np.linalg.cholesky(c[:n_x, :n_x])
    ly = np.linalg.cholesky(c[n_x:, n_x:])
    whitened = np.linalg.solve(ly, np.linalg.solve(lx, c[:n_x, n_x:]).T)
    return np.clip(np.linalg.svd(whitened, compute_uv=False), 0.0, 1.0)


def _gaussian_point(rho, beta) -> tuple[float, float]:
    """(I(X;T), I(T;Y)) in nats of the optimal Gaussian bottleneck at beta: component
    i is active when beta (1 - lambda_i) > 1, i.e. beta rho_i^2 > 1, and adds
    1/2 log((beta - 1)(1 - lambda_i) / lambda_i) and 1/2 log((beta - 1) / (beta
    lambda_i)) (Chechik et al. 2005, section 5)."""
    active = rho[beta * rho**2 > 1.0]
    if active.size == 0:
        return 0.0, 0.0
    log_lambda = np.log1p(-active) + np.log1p(active)  # lambda = (1 - rho)(1 + rho)
    ixt = 0.5 * np.sum(math.log(beta - 1.0) + 2 * np.log(active) - log_lambda)
    ity = 0.5 * np.sum(math.log(beta - 1.0) - math.log(beta) - log_lambda)
    # both are >= 0 but round to -1e-16 just above a critical beta, where the terms
    # cancel: clipped, as the kernel clips (test_scalar_gaussian_curve, rho = 0.1)
    return max(float(ixt), 0.0), max(float(ity), 0.0)


def _reject_table_options(n_clusters, random_state, tol, max_iter) -> None:
    """The Gaussian curve is closed form: options of the table iteration, given with
    cov, would be ignored, so they are refused (as n_x is with a table)."""
    defaults = {"n_clusters": None, "random_state": 0, "tol": 1e-10, "max_iter": 1000}
    given = {"n_clusters": n_clusters, "random_state": random_state, "tol": tol,
             "max_iter": max_iter}  # fmt: skip
    passed = [
        name for name, value in given.items()
        if value is not defaults[name]
        and not (type(value) is type(defaults[name]) and value == defaults[name])
    ]  # fmt: skip
    if passed:
        raise InvalidParameterError(
            f"{', '.join(passed)} apply to tables (kind='ib' or 'deterministic') only; "
            f"the Gaussian curve (cov=) is closed form. Drop them."
        )


def _frame(betas, ixz, izy, hz):
    columns = {"beta": betas, "ixz": ixz, "izy": izy, "hz": hz}
    try:
        import pandas as pd
    except ImportError:
        frame = np.empty(len(betas), dtype=[(name, np.float64) for name in columns])
        for name, values in columns.items():
            frame[name] = values
        return frame
    return pd.DataFrame(columns)


def ib_curve(
    pxy=None,
    betas=None,
    *,
    x=None,
    y=None,
    cov=None,
    n_x=None,
    kind=None,
    n_clusters=None,
    random_state=0,
    tol=1e-10,
    max_iter=1000,
    base=math.e,
):
    r"""The information bottleneck curve: the most I(Z;Y) a compression Z of X can keep
    for each I(X;Z), traced over the trade-off beta.

    For a joint table (``pxy``, or samples ``x``, ``y`` of two discrete variables,
    whose joint is counted), the IB iteration [1]_ (or the deterministic IB [2]_) runs
    at each beta in increasing order, annealed: each beta starts from the previous
    solution, both as it is and perturbed (empty clusters split off used ones, and 1%
    of a random encoder mixed in, so that clusters can part at a critical beta), and
    also from hard encoders with clusters seeded at rows of p(y|x) (1, 2, 4, ...
    seeds, and one per distinct row when ``n_clusters`` allows) wherever such a start
    scores better. Passes down and up the betas then restart a beta from a
    neighbour's solution wherever that scores better at this beta, until no point
    changes. The solutions are local optima, but no neighbour's encoder scores better
    than a point's own, which guarantees that ``ixz`` (``hz`` for the deterministic
    IB) and ``izy`` never decrease as beta grows (up to rounding). Concavity, a
    property of the true curve, is not enforced: a point stuck in a poor local
    optimum may sit below the chord of its neighbours. With enough clusters the curve
    reaches I(Z;Y) = I(X;Y) at large beta.

    For jointly Gaussian X and Y (``cov``, ``kind="gaussian"``), the curve is exact
    [3]_: with :math:`\lambda_i` the eigenvalues of
    :math:`\Sigma_{x \mid y} \Sigma_x^{-1}` (:math:`1 - \lambda_i` the squared
    canonical correlations), component i joins at the critical
    :math:`\beta_i = 1 / (1 - \lambda_i)`, and with the active components i,

    .. math::

        I(X;T) = \frac{1}{2} \sum_i \log \frac{(\beta - 1)(1 - \lambda_i)}{\lambda_i},
        \qquad
        I(T;Y) = \frac{1}{2} \sum_i \log \frac{\beta - 1}{\beta \lambda_i};

    for one scalar pair with correlation :math:`\rho`,
    :math:`I(T;Y) = -\frac{1}{2} \log\big(1 - \rho^2 (1 - e^{-2 I(X;T)})\big)`.

    :doc:`/bottleneck` explains the annealing and the closed form for Gaussians.

    Parameters
    ----------
    pxy : array-like of shape (n_x, n_y), optional
        Joint probabilities or counts, X on the rows.
    betas : array-like of floats >= 0, optional
        Trade-offs to solve at (sorted, duplicates dropped). Default for tables 41
        values from 1 to 10^4, evenly spaced in log; for Gaussians 61 values from 1 to
        100 times the largest critical beta, plus the critical betas.
    x, y : array-like of shape (n_samples,) or (n_samples, d), optional
        Paired samples of two discrete variables (integer, bool, string or
        categorical labels; several columns form one joint variable), instead of
        ``pxy``.
    cov : array-like of shape (d, d), optional
        The joint covariance matrix of Gaussian (X, Y), X first; positive definite.
    n_x : int, optional
        Dimensions of X in ``cov``; default d // 2.
    kind : {"ib", "deterministic", "gaussian"}, optional
        Default "gaussian" with ``cov``, else "ib". "deterministic" traces the
        deterministic IB (hard encoders; its points are optimal for H(Z), not I(X;Z)).
    n_clusters : int >= 1, optional
        Number of values of Z (tables); default: the number of distinct rows of
        p(y|x), at most 64.
    random_state : int >= 0 or None, default 0
        Seed of the seeding and the annealing perturbations; equal seeds give
        identical curves, None a fresh seed (results then vary between calls).
        Another seed picks other seeded starts and perturbations, which can end in
        another local optimum where ``n_clusters`` is below the number of distinct
        rows of p(y|x).
    tol, max_iter
        Convergence of each run, as in :func:`information_bottleneck`.

        ``n_clusters``, ``random_state``, ``tol`` and ``max_iter`` are for tables
        only: given with ``cov`` they raise an error, since the Gaussian curve is
        closed form.
    base : float, default math.e
        Base of the logarithm (2 for bits). ``beta`` does not depend on it.

    Returns
    -------
    DataFrame or structured array
        One row per beta, ascending: columns ``beta``, ``ixz`` (I(X;Z)), ``izy``
        (I(Z;Y)) and ``hz`` (H(Z); NaN for Gaussians, whose T has no scale-free
        entropy). A pandas DataFrame if pandas is installed, else a NumPy structured
        array with these fields.

    See Also
    --------
    information_bottleneck : one encoder at one beta.
    fastmi.plot.ib_curve : draw the curve, with a network's information plane.

    References
    ----------
    .. [1] N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck
       method", Proc. 37th Annual Allerton Conference on Communication, Control and
       Computing, 368-377 (1999).
    .. [2] D. J. Strouse and D. J. Schwab, "The deterministic information bottleneck",
       Neural Computation 29(6), 1611-1630 (2017).
    .. [3] G. Chechik, A. Globerson, N. Tishby and Y. Weiss, "Information bottleneck
       for Gaussian variables", Journal of Machine Learning Research 6, 165-188
       (2005).

    Examples
    --------
    >>> from fastmi import info
    >>> curve = info.ib_curve([[0.45, 0.05], [0.05, 0.45]], betas=[1, 2, 4, 100], base=2)
    >>> curve.round(3)  # a fair bit through a channel that flips it 1 time in 10
        beta    ixz    izy   hz
    0    1.0  0.000  0.000  0.0
    1    2.0  0.696  0.407  1.0
    2    4.0  0.990  0.529  1.0
    3  100.0  1.000  0.531  1.0

    Gaussians with correlation 0.8 (the critical beta is 1 / 0.8^2 = 1.5625):

    >>> gauss = info.ib_curve(cov=[[1, 0.8], [0.8, 1]], betas=[1.5, 2, 10])
    >>> gauss.round(4)
       beta     ixz     izy  hz
    0   1.5  0.0000  0.0000 NaN
    1   2.0  0.2877  0.1643 NaN
    2  10.0  1.3863  0.4581 NaN
    """
    sources = [name for name, v in (("pxy", pxy), ("x", x), ("cov", cov)) if v is not None]
    if (x is None) != (y is None):
        raise InvalidParameterError("pass both x and y (paired samples), or neither.")
    if len(sources) != 1:
        raise InvalidParameterError(
            "pass exactly one of pxy (a joint table), x and y (samples of two discrete "
            f"variables) or cov (a Gaussian covariance); got {sources or 'none'}."
        )
    kind = check_choice(
        ("gaussian" if cov is not None else "ib") if kind is None else kind,
        "kind", ("ib", "deterministic", "gaussian"),
    )  # fmt: skip
    if (kind == "gaussian") != (cov is not None):
        raise InvalidParameterError(
            "kind='gaussian' takes the covariance as cov=; tables and samples take "
            f"kind='ib' or 'deterministic'; got kind={kind!r} with {sources[0]}."
        )
    log_base = check_base(base)
    if kind == "gaussian":
        _reject_table_options(n_clusters, random_state, tol, max_iter)
        rho = _canonical_correlations(cov, n_x)
        critical = 1.0 / rho[rho > 0] ** 2
        top = 100 * critical.max() if critical.size else 100.0
        betas = _check_betas(betas, np.unique(np.r_[np.geomspace(1, top, 61), critical]))
        points = np.array([_gaussian_point(rho, b) for b in betas]).reshape(-1, 2)
        nan = np.full(len(betas), np.nan)
        return _frame(betas, points[:, 0] / log_base, points[:, 1] / log_base, nan)
    if n_x is not None:
        raise InvalidParameterError("n_x applies to cov (kind='gaussian') only.")
    tol, max_iter = _check_tol_iter(tol, max_iter)
    seed = check_random_state(random_state)
    betas = _check_betas(betas, np.geomspace(1, 1e4, 41))
    table = _table(pxy if pxy is not None else _samples_table(x, y))
    results = _table_curve(table, betas, kind, n_clusters, seed, tol, max_iter, log_base)
    return _frame(
        betas, *(np.array([getattr(r, a) for r in results]) for a in ("ixz", "izy", "hz"))
    )
