"""The information bottleneck (fastmi.info.information_bottleneck, ib_curve and
fastmi.plot.ib_curve): endpoints, the shape of the curve, the Gaussian closed form
against an explicit optimal encoder, monotone objectives, and errors."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from fastmi import InvalidParameterError, info

CHANNEL = [[0.45, 0.05], [0.05, 0.45]]  # a fair bit flipped with probability 0.1


def table_with_repeated_rows(rng, n_x=9, n_y=5, n_distinct=4):
    """A joint table whose rows of p(y|x) take n_distinct values."""
    rows = rng.dirichlet(np.ones(n_y), size=n_distinct)
    which = np.r_[np.arange(n_distinct), rng.integers(0, n_distinct, n_x - n_distinct)]
    px = rng.dirichlet(np.ones(n_x))
    return px[:, None] * rows[which]


def naive_information(pxy, encoder):
    """(I(X;Z), I(Z;Y), H(Z)) in nats from the joint tables, with fastmi.info."""
    pxy = np.asarray(pxy, dtype=float) / np.sum(pxy)
    pxz = pxy.sum(axis=1)[:, None] * encoder
    pzy = encoder.T @ pxy
    return info.mutual_info(pxz), info.mutual_info(pzy), info.entropy(pxz.sum(axis=0))


# --- endpoints --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ib", "deterministic"])
def test_beta_zero_compresses_everything(rng, kind):
    pxy = rng.dirichlet(np.ones(30)).reshape(6, 5)
    result = info.information_bottleneck(pxy, 0.0, kind=kind)
    assert result.ixz < 1e-12
    assert result.izy < 1e-12
    curve = info.ib_curve(pxy, betas=[0.0, 0.5, 1.0], kind=kind)
    assert (curve["ixz"] < 1e-9).all()


@pytest.mark.parametrize("kind", ["ib", "deterministic"])
def test_large_beta_reaches_i_xy(rng, kind):
    pxy = table_with_repeated_rows(rng)
    ixy = info.mutual_info(pxy)
    for beta in (1e3, 1e8):  # 1e8: exp(-beta KL) would underflow outside the log domain
        result = info.information_bottleneck(pxy, beta, n_clusters=4, kind=kind)
        assert result.izy == pytest.approx(ixy, rel=1e-9)
        assert np.isfinite(result.encoder).all()
    curve = info.ib_curve(pxy, betas=np.geomspace(0.5, 1e4, 25), n_clusters=4, kind=kind)
    assert curve["izy"].iloc[-1] == pytest.approx(ixy, rel=1e-9)


def test_default_clusters_reach_i_xy_in_bits(rng):
    pxy = table_with_repeated_rows(rng, n_x=12, n_distinct=5)
    result = info.information_bottleneck(pxy, 1e4, base=2)
    assert result.encoder.shape == (12, 5)
    assert result.izy == pytest.approx(info.mutual_info(pxy, base=2), rel=1e-9)


# --- the shape of the curve -------------------------------------------------------------


def assert_curve_shape(curve, ixy, *, concave, tol=1e-7):
    ixz, izy = curve["ixz"].to_numpy(), curve["izy"].to_numpy()
    assert (np.diff(ixz) >= -tol).all(), "I(X;Z) decreases with beta"
    assert (np.diff(izy) >= -tol).all(), "I(Z;Y) decreases with beta"
    assert (izy <= np.minimum(ixz, ixy) + tol).all(), "a point above the data bound"
    if concave:  # every point on or above the chord of its neighbours
        for a, b, c in zip(range(len(ixz)), range(1, len(ixz)), range(2, len(ixz))):
            if ixz[c] - ixz[a] > 1e-6:
                chord = izy[a] + (izy[c] - izy[a]) * (ixz[b] - ixz[a]) / (ixz[c] - ixz[a])
                assert izy[b] >= chord - 1e-4, (a, b, c)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_curve_is_monotone_concave_and_bounded(seed):
    rng = np.random.default_rng(seed)
    pxy = rng.dirichlet(np.full(24, 0.5)).reshape(6, 4)
    ixy = info.mutual_info(pxy)
    curve = info.ib_curve(pxy, betas=np.geomspace(1, 1e5, 41))
    assert list(curve.columns) == ["beta", "ixz", "izy", "hz"]
    assert_curve_shape(curve, ixy, concave=True)
    assert curve["izy"].iloc[-1] == pytest.approx(ixy, rel=1e-6)


def test_deterministic_curve_is_monotone_and_bounded(rng):
    pxy = rng.dirichlet(np.full(40, 0.5)).reshape(8, 5)
    curve = info.ib_curve(pxy, betas=np.geomspace(1, 1e3, 20), kind="deterministic")
    assert_curve_shape(curve, info.mutual_info(pxy), concave=False)
    assert_allclose(curve["ixz"], curve["hz"], atol=1e-12)  # hard: I(X;Z) = H(Z)


def assert_no_crossed_neighbours(curve, kind):
    """L_{b_i}(r_i) <= L_{b_i}(r_{i+1}) and L_{b_{i+1}}(r_{i+1}) <= L_{b_{i+1}}(r_i)."""
    betas, izy = curve["beta"].to_numpy(), curve["izy"].to_numpy()
    cost = curve["hz" if kind == "deterministic" else "ixz"].to_numpy()
    down = (cost[:-1] - betas[:-1] * izy[:-1]) - (cost[1:] - betas[:-1] * izy[1:])
    up = (cost[1:] - betas[1:] * izy[1:]) - (cost[:-1] - betas[1:] * izy[:-1])
    assert down.max() <= 1e-10 and up.max() <= 1e-10


# Tables where annealing up from the perturbed previous solution alone fell into a
# worse basin, so that I(Z;Y) dropped as beta grew (by 0.077 nats for seed 659): fewer
# clusters than distinct rows of p(y|x).
@pytest.mark.parametrize(
    "seed, shape, n_clusters",
    [(109, (6, 4), 3), (659, (10, 3), 4), (868, (8, 5), 3), (638, (10, 3), 4)],
)
@pytest.mark.parametrize("kind", ["ib", "deterministic"])
def test_curve_monotone_with_few_clusters(seed, shape, n_clusters, kind):
    rng = np.random.default_rng(seed)
    pxy = rng.dirichlet(np.full(shape[0] * shape[1], 0.4)).reshape(shape)
    curve = info.ib_curve(pxy, betas=np.geomspace(1, 1e3, 25), n_clusters=n_clusters, kind=kind)
    for column in ("ixz", "izy", "hz") if kind == "deterministic" else ("ixz", "izy"):
        assert (np.diff(curve[column]) >= -1e-12).all(), column  # H(Z) may fall for "ib"
    assert_no_crossed_neighbours(curve, kind)


def binary_entropy(p):
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p)) if 0 < p < 1 else 0.0


def inverse_binary_entropy(v):
    """The p in [0, 1/2] with h(p) = v, by bisection."""
    lo, hi = 0.0, 0.5
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if binary_entropy(mid) < v else (lo, mid)
    return (lo + hi) / 2


@pytest.mark.parametrize("f", [0.02, 0.1, 0.25])
def test_binary_symmetric_channel_against_mrs_gerbers_lemma(f):
    """A uniform bit through a BSC(f): by Mrs Gerber's lemma the IB curve is exactly
    I(Z;Y) = 1 - h(f * h^-1(1 - I(X;Z))) bits, a * b = a (1 - b) + b (1 - a)."""
    pxy = [[(1 - f) / 2, f / 2], [f / 2, (1 - f) / 2]]
    # tol 1e-13: with the default 1e-10 a point just past the critical beta (4 for
    # f = 0.25, where the iteration is slow) stops 2.5e-9 bits below the curve
    curve = info.ib_curve(pxy, betas=np.geomspace(1, 1e3, 40), base=2, tol=1e-13,
                          max_iter=100_000)  # fmt: skip
    assert (curve["ixz"] > 0.01).sum() > 25
    for ixz, izy in curve[["ixz", "izy"]].itertuples(index=False):
        a = inverse_binary_entropy(1 - ixz)
        expected = 1 - binary_entropy(a * (1 - f) + f * (1 - a))
        assert izy == pytest.approx(expected, abs=1e-9), ixz


def test_channel_curve_in_bits():
    curve = info.ib_curve(CHANNEL, base=2)
    assert curve["izy"].max() == pytest.approx(info.mutual_info(CHANNEL, base=2), rel=1e-9)
    # below the critical beta 1 / (1 - 2 f)^2 = 1.5625 nothing is kept
    assert (curve.loc[curve["beta"] < 1.5625, "ixz"] < 1e-8).all()
    assert (curve.loc[curve["beta"] > 1.6, "ixz"] > 0.1).all()


# --- Gaussians: the closed form ---------------------------------------------------------


@pytest.mark.parametrize("rho", [0.1, 0.5, -0.8, 0.99])
def test_scalar_gaussian_curve(rho):
    c = rho * math.sqrt(2.0 * 9.0)  # variances 2 and 9: the curve depends on rho alone
    curve = info.ib_curve(cov=[[2.0, c], [c, 9.0]])
    ixt, ity = curve["ixz"].to_numpy(), curve["izy"].to_numpy()
    assert_allclose(ity, -0.5 * np.log(1 - rho**2 * (1 - np.exp(-2 * ixt))), atol=1e-9)
    assert (ixt >= 0).all() and (ity >= 0).all()
    unit = info.ib_curve(cov=[[1.0, rho], [rho, 1.0]])  # rho = 0.1: I(T;Y) was -2.8e-16
    assert (unit["ixz"] >= 0).all() and (unit["izy"] >= 0).all()
    assert (ixt[curve["beta"] <= 1 / rho**2] == 0).all()
    assert (ixt[curve["beta"] > 1 / rho**2 * 1.001] > 0).all()
    assert curve["hz"].isna().all()


def naive_gaussian_point(cov, n_x, beta):
    """Chechik et al. (2005), theorem 3.1, built explicitly: T = A X + noise, rows of A
    the left eigenvectors v_i of Sigma_{x|y} Sigma_x^{-1} scaled by
    alpha_i = sqrt((beta (1 - lambda_i) - 1) / (lambda_i v_i' Sigma_x v_i)); the
    informations from log-determinants of T's covariances."""
    cov = np.asarray(cov, dtype=float)
    sx, sxy, sy = cov[:n_x, :n_x], cov[:n_x, n_x:], cov[n_x:, n_x:]
    sx_y = sx - sxy @ np.linalg.inv(sy) @ sxy.T
    lambdas, vectors = np.linalg.eig((sx_y @ np.linalg.inv(sx)).T)
    rows = []
    for lam, v in zip(lambdas.real, vectors.real.T):
        if beta * (1 - lam) > 1:
            r = v @ sx @ v
            rows.append(math.sqrt((beta * (1 - lam) - 1) / (lam * r)) * v)
    if not rows:
        return 0.0, 0.0
    a = np.array(rows)
    s_t = a @ sx @ a.T + np.eye(len(rows))
    s_t_y = a @ sx_y @ a.T + np.eye(len(rows))
    ixt = 0.5 * np.linalg.slogdet(s_t)[1]
    return ixt, ixt - 0.5 * np.linalg.slogdet(s_t_y)[1]


def test_multivariate_gaussian_against_explicit_encoder(rng):
    d, n_x = 5, 3
    m = rng.normal(size=(d, d))
    cov = m @ m.T + 0.5 * np.eye(d)
    curve = info.ib_curve(cov=cov, n_x=n_x, betas=[1.0, 1.5, 3.0, 10.0, 100.0, 1e4])
    for beta, ixt, ity in curve[["beta", "ixz", "izy"]].itertuples(index=False):
        expected = naive_gaussian_point(cov, n_x, beta)
        assert_allclose((ixt, ity), expected, rtol=1e-8, atol=1e-10)
    default = info.ib_curve(cov=cov, n_x=n_x, base=2)  # includes the critical betas
    assert_curve_shape(default, np.inf, concave=True, tol=1e-12)


# --- the iteration ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ib", "deterministic"])
@pytest.mark.parametrize("beta", [0.7, 2.0, 8.0])
def test_objective_never_increases(rng, kind, beta):
    pxy = rng.dirichlet(np.full(60, 0.3)).reshape(12, 5)
    init = rng.dirichlet(np.ones(4), size=12)
    result = info.information_bottleneck(pxy, beta, kind=kind, init=init, tol=0, max_iter=60)
    assert result.history.shape == (result.n_iter + 1,)
    assert (np.diff(result.history) <= 1e-12).all()
    assert result.objective == result.history[-1]
    if kind == "deterministic":
        assert set(np.unique(result.encoder)) <= {0.0, 1.0}


def naive_ib_step(pxy, encoder, beta, deterministic):
    """One self-consistent update of Tishby et al. (1999) in plain NumPy: q(z),
    q(y|z) from the encoder, then q(z|x) ~ q(z) exp(-beta KL[p(y|x) || q(y|z)])
    (deterministic: all of x on the argmax of the exponent)."""
    pxy = np.asarray(pxy, dtype=float) / np.sum(pxy)
    px = pxy.sum(axis=1)
    pyx = pxy / px[:, None]
    qz = px @ encoder
    qyz = (encoder.T @ pxy) / qz[:, None]  # [z, y]
    kl = (pyx[:, None, :] * np.log(pyx[:, None, :] / qyz[None, :, :])).sum(axis=2)
    score = np.log(qz)[None, :] - beta * kl
    if deterministic:
        return np.eye(encoder.shape[1])[score.argmax(axis=1)]
    weights = np.exp(score - score.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("kind", ["ib", "deterministic"])
@pytest.mark.parametrize("beta", [0.5, 3.0, 40.0])
def test_one_step_matches_plain_numpy(rng, kind, beta):
    pxy = rng.dirichlet(np.full(35, 0.8)).reshape(7, 5)
    init = rng.dirichlet(np.ones(3), size=7)
    result = info.information_bottleneck(pxy, beta, kind=kind, init=init, tol=0, max_iter=1)
    assert result.n_iter == 1
    expected = naive_ib_step(pxy, init, beta, kind == "deterministic")
    assert_allclose(result.encoder, expected, rtol=1e-11, atol=1e-14)


def test_max_iter_stops_early_and_says_so(rng):
    pxy = rng.dirichlet(np.full(60, 0.3)).reshape(12, 5)
    init = rng.dirichlet(np.ones(4), size=12)
    result = info.information_bottleneck(pxy, 3.0, init=init, tol=0, max_iter=3)
    assert (result.n_iter, result.converged) == (3, False)
    first = info.information_bottleneck(pxy, 3.0, init=init, max_iter=1)
    again = info.information_bottleneck(pxy, 3.0, init=first.encoder, max_iter=2)
    assert_allclose(again.history[:3], result.history[1:], rtol=1e-12)


@pytest.mark.parametrize("kind", ["ib", "deterministic"])
def test_quantities_match_fastmi_info(rng, kind):
    pxy = rng.dirichlet(np.full(42, 0.4)).reshape(7, 6)
    result = info.information_bottleneck(pxy, 4.0, n_clusters=3, kind=kind, base=2)
    ixz, izy, hz = np.array(naive_information(pxy, result.encoder)) / math.log(2)
    assert_allclose([result.ixz, result.izy, result.hz], [ixz, izy, hz], rtol=1e-10, atol=1e-13)
    target = (hz if kind == "deterministic" else ixz) - 4.0 * izy
    assert result.objective == pytest.approx(target, rel=1e-10, abs=1e-13)
    assert_allclose(result.encoder.sum(axis=1), 1.0, rtol=1e-12)
    if kind == "deterministic":
        assert set(np.unique(result.encoder)) <= {0.0, 1.0}


def test_reproducible_from_random_state(rng):
    pxy = rng.dirichlet(np.full(80, 0.5)).reshape(16, 5)  # 16 distinct rows, 4 clusters
    one = info.ib_curve(pxy, betas=[2.0, 5.0, 20.0], n_clusters=4, random_state=3)
    two = info.ib_curve(pxy, betas=[2.0, 5.0, 20.0], n_clusters=4, random_state=3)
    pd.testing.assert_frame_equal(one, two)
    a = info.information_bottleneck(pxy, 5.0, n_clusters=4, random_state=7)
    b = info.information_bottleneck(pxy, 5.0, n_clusters=4, random_state=7)
    np.testing.assert_array_equal(a.encoder, b.encoder)


def test_random_state_changes_the_start_not_the_validity(rng):
    pxy = rng.dirichlet(np.full(80, 0.5)).reshape(16, 5)  # 16 distinct rows, 3 clusters
    results = [info.information_bottleneck(pxy, 5.0, n_clusters=3, random_state=s)
               for s in range(6)]  # fmt: skip
    starts = {round(float(r.history[0]), 12) for r in results}
    assert len(starts) > 1  # other seeds, other seeded starts
    for r in results:
        assert r.converged
        assert_allclose(r.encoder.sum(axis=1), 1.0, rtol=1e-12)
    fresh = info.ib_curve(pxy, betas=[2.0, 20.0], n_clusters=3, random_state=None)
    assert (np.diff(fresh["izy"]) >= -1e-12).all()


def test_zero_column_of_the_table(rng):
    pxy = rng.dirichlet(np.ones(20)).reshape(5, 4)
    padded = np.insert(pxy, 2, 0.0, axis=1)  # p(y) = 0 for the third y
    betas = [1.0, 3.0, 30.0, 1e4]
    padded_curve = info.ib_curve(padded, betas=betas)
    assert np.isfinite(padded_curve[["ixz", "izy", "hz"]].to_numpy()).all()
    pd.testing.assert_frame_equal(padded_curve, info.ib_curve(pxy, betas=betas), rtol=1e-12)
    result = info.information_bottleneck(padded, 1e4)
    assert result.izy == pytest.approx(info.mutual_info(pxy), rel=1e-9)


def test_structured_array_without_pandas(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    table = info.ib_curve(CHANNEL, betas=[1.0, 2.0, 100.0], base=2)
    gauss = info.ib_curve(cov=[[1, 0.8], [0.8, 1]], betas=[1.5, 2.0])
    monkeypatch.undo()
    assert isinstance(table, np.ndarray)
    assert table.dtype.names == ("beta", "ixz", "izy", "hz")
    expected = info.ib_curve(CHANNEL, betas=[1.0, 2.0, 100.0], base=2)
    for name in table.dtype.names:
        assert_allclose(table[name], expected[name], rtol=1e-12)
    assert gauss.dtype.names == ("beta", "ixz", "izy", "hz")
    assert np.isnan(gauss["hz"]).all()


def test_counts_zero_rows_and_samples(rng):
    counts = np.array([[3, 0, 1], [0, 0, 0], [1, 4, 0], [3, 0, 1]])
    probabilities = counts / counts.sum()
    result = info.information_bottleneck(counts, 50.0)
    assert result.izy == pytest.approx(info.mutual_info(counts), rel=1e-9)
    assert_allclose(result.encoder.sum(axis=1), 1.0)  # the empty row too
    assert result.ixz == info.information_bottleneck(probabilities, 50.0).ixz
    x = rng.integers(0, 3, size=400)  # codes 0, 1, 2: the crosstab's row order
    y = np.where(rng.random(400) < 0.8, x == 0, rng.random(400) < 0.5)
    table = pd.crosstab(x, y).to_numpy()
    betas = [1.0, 3.0, 30.0]
    pd.testing.assert_frame_equal(
        info.ib_curve(x=x, y=y, betas=betas), info.ib_curve(table, betas=betas)
    )


# --- errors -----------------------------------------------------------------------------


def ib(*args, **kwargs):
    return info.information_bottleneck(*args, **kwargs)


def curve(*args, **kwargs):
    return info.ib_curve(*args, **kwargs)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ib([[0.5, -0.1], [0.3, 0.3]], 1.0), r"pxy contains negative"),
        (lambda: ib([[0.5, np.nan], [0.3, 0.2]], 1.0), r"pxy contains NaN"),
        (lambda: ib([0.5, 0.5], 1.0), r"pxy must be 2-D"),
        (lambda: ib(CHANNEL, -1.0), r"beta must be a finite real >= 0"),
        (lambda: ib(CHANNEL, np.inf), r"beta must be a finite real"),
        (lambda: ib(CHANNEL, 1.0, 0), r"n_clusters must be >= 1; got 0\."),
        (lambda: ib(CHANNEL, 1.0, kind="soft"), r"kind must be one of"),
        (lambda: ib(CHANNEL, 1.0, max_iter=0), r"max_iter must be >= 1"),
        (lambda: ib(CHANNEL, 1.0, tol=-1), r"tol must be a real >= 0"),
        (lambda: ib(CHANNEL, 1.0, init=[[1, 0]]), r"init must have shape"),
        (lambda: ib(CHANNEL, 1.0, 0, init=[[1, 0]]), r"n_clusters must be >= 1; got 0\."),
        (lambda: ib(CHANNEL, 1.0, init=[[np.nan, 1], [1, 0]]), r"rows sum to 1"),
        (lambda: ib(CHANNEL, 1.0, init=[[0.5, 0.6], [1, 0]]), r"rows sum to 1"),
        (lambda: curve(CHANNEL, betas=[1.0, -2.0]), r"every beta in betas must be"),
        (lambda: curve(), r"pass exactly one of pxy"),
        (lambda: curve(CHANNEL, cov=np.eye(2)), r"pass exactly one of pxy"),
        (lambda: curve(x=[1, 2]), r"pass both x and y"),
        (lambda: curve(x=[1, 2, 3], y=[1, 2]), r"same number of samples"),
        (lambda: curve(x=[0.5, 1.5], y=[1, 2]), r"x holds non-integer floats"),
        (lambda: curve(CHANNEL, kind="gaussian"), r"'gaussian' takes the covariance as cov="),
        (lambda: curve(CHANNEL, n_x=1), r"n_x applies to cov"),
        (lambda: curve(cov=np.eye(2), n_clusters=3), r"^n_clusters apply to tables"),
        (lambda: curve(cov=np.eye(2), tol=1e-6, max_iter=10), r"^tol, max_iter apply to"),
        (lambda: curve(cov=np.eye(2), random_state=None), r"random_state apply to tables"),
        (lambda: curve(cov=np.eye(3)[:2]), r"cov must be a square joint covariance"),
        (lambda: curve(cov=[[1.0, 0.2], [0.3, 1.0]]), r"cov must be symmetric"),
        (lambda: curve(cov=[[1, 1], [1, 1]]), r"positive definite; its smallest .*ridge"),
        (lambda: curve(cov=[[1.0, np.nan], [np.nan, 1.0]]), r"cov contains NaN"),
        (lambda: curve(cov=np.eye(4), n_x=4), r"n_x must be between 1 and 3"),
    ],
)
def test_errors_name_the_parameter_and_the_fix(call, message):
    with pytest.raises(InvalidParameterError, match=message):
        call()


# --- plot and docs figure ---------------------------------------------------------------


def test_plot_ib_curve_with_an_information_plane():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from fastmi import plot

    curve = info.ib_curve(CHANNEL, betas=[1, 2, 5, 50], base=2)
    ax = plot.ib_curve(curve, units="bits")
    assert_allclose(ax.lines[0].get_ydata(), curve["izy"])
    assert ax.get_xlabel() == "I(X;Z) (bits)"
    assert len(ax.lines) == 1  # no ceiling unless I(X;Y) is given
    ixy = info.mutual_info(CHANNEL, base=2)
    ax = plot.ib_curve(curve, ixy=ixy, units="bits")
    assert_allclose(ax.lines[1].get_ydata(), [ixy, ixy])
    assert ax.lines[1].get_label() == "I(X;Y)"
    with pytest.raises(InvalidParameterError, match="ixy must be a finite real >= 0"):
        plot.ib_curve(curve, ixy=-1.0)
    plane = pd.DataFrame({"epoch": [1, 1, 2, 2], "layer": ["h1", "h2", "h1", "h2"],
                          "I_XT": [0.2, 0.1, 0.5, 0.3], "I_TY": [0.1, 0.05, 0.3, 0.2]})  # fmt: skip
    ax = plot.ib_curve(curve, plane, units="bits")
    assert len(ax.collections) == 2  # one scatter per layer
    ax = plot.ib_curve(curve, plane[["I_XT", "I_TY"]])
    assert len(ax.collections) == 1
    with pytest.raises(InvalidParameterError, match="frame must have columns 'ixz'"):
        plot.ib_curve(plane)
    with pytest.raises(InvalidParameterError, match="points must have columns 'I_XT'"):
        plot.ib_curve(curve, curve)


def test_docs_figure_script(tmp_path):
    pytest.importorskip("matplotlib")
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "docs" / "scripts" / "bottleneck_figure.py"
    spec = importlib.util.spec_from_file_location("bottleneck_figure", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path / "figure.png"
    module.main(path, quick=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    png = script.parents[1] / "_static" / "bottleneck.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
