"""Slow, obvious reference implementations (oracles). Never imports fastmi."""

import math
from collections import Counter

import numpy as np
from scipy.special import digamma


def labels(x):
    """Samples as a list of hashable labels: values for 1-D input, row tuples for 2-D."""
    array = np.asarray(x, dtype=object)
    if array.ndim == 1:
        return list(array)
    return [tuple(row) for row in array]


def naive_entropy(x):
    counts = Counter(labels(x))
    n = sum(counts.values())
    return -sum(c / n * math.log(c / n) for c in counts.values())


def naive_mi(x, y):
    lx, ly = labels(x), labels(y)
    n = len(lx)
    px, py, pxy = Counter(lx), Counter(ly), Counter(zip(lx, ly))
    return sum(c / n * math.log(c * n / (px[a] * py[b])) for (a, b), c in pxy.items())


def naive_cmi(x, y, z):
    lx, ly, lz = labels(x), labels(y), labels(z)
    n = len(lx)
    pz, pxz, pyz = Counter(lz), Counter(zip(lx, lz)), Counter(zip(ly, lz))
    pxyz = Counter(zip(lx, ly, lz))
    return sum(
        c / n * math.log(c * pz[s] / (pxz[a, s] * pyz[b, s])) for (a, b, s), c in pxyz.items()
    )


def n_levels(x):
    return len(set(labels(x)))


def naive_miller_madow_entropy(x):
    return naive_entropy(x) + (n_levels(x) - 1) / (2 * len(labels(x)))


def naive_entropy_of_table(p):
    p = np.asarray(p, dtype=float).ravel()
    p = p / p.sum()
    return -sum(v * math.log(v) for v in p if v > 0)


# --- kNN estimators: the paper's formulas, O(n^2), on data as given (no scaling) ---


def _as_rows(v):
    v = np.asarray(v, dtype=float)
    return v.reshape(-1, 1) if v.ndim == 1 else v


def _cheb(v, i):
    return np.max(np.abs(v - v[i]), axis=1)


def _kth_neighbour(joint, i, k):
    d = _cheb(joint, i)
    d[i] = np.inf
    order = np.lexsort((np.arange(len(d)), d))  # by distance, then index
    return d[order[k - 1]], order[:k]


def naive_ksg_mi(x, y, k, algorithm=1):
    """Kraskov, Stoegbauer & Grassberger (2004), eqs. (8) and (9), max-norm."""
    x, y = _as_rows(x), _as_rows(y)
    n = len(x)
    joint = np.hstack([x, y])
    total = 0.0
    for i in range(n):
        eps, neighbours = _kth_neighbour(joint, i, k)
        dx, dy = _cheb(x, i), _cheb(y, i)
        if algorithm == 1:
            n_x, n_y = np.sum(dx < eps) - 1, np.sum(dy < eps) - 1  # minus the point itself
            total += digamma(n_x + 1) + digamma(n_y + 1)
        else:
            eps_x, eps_y = dx[neighbours].max(), dy[neighbours].max()
            n_x, n_y = np.sum(dx <= eps_x) - 1, np.sum(dy <= eps_y) - 1
            total += digamma(n_x) + digamma(n_y)
    mi = digamma(k) + digamma(n) - total / n
    return mi - 1 / k if algorithm == 2 else mi


def naive_kl_entropy(x, k):
    """Kozachenko-Leonenko with max-norm balls: volume (2 eps)^d."""
    x = _as_rows(x)
    n, d = x.shape
    log_eps = [math.log(_kth_neighbour(x, i, k)[0]) for i in range(n)]
    return digamma(n) - digamma(k) + d * math.log(2) + d * np.mean(log_eps)


def naive_fp_cmi(x, y, z, k):
    """Frenzel & Pompe (2007): psi(k) + <psi(n_z+1) - psi(n_xz+1) - psi(n_yz+1)>."""
    x, y, z = _as_rows(x), _as_rows(y), _as_rows(z)
    n = len(x)
    joint = np.hstack([x, y, z])
    total = 0.0
    for i in range(n):
        eps, _ = _kth_neighbour(joint, i, k)
        dz = _cheb(z, i)
        dxz = np.maximum(_cheb(x, i), dz)
        dyz = np.maximum(_cheb(y, i), dz)
        n_z, n_xz, n_yz = (np.sum(v < eps) - 1 for v in (dz, dxz, dyz))
        total += digamma(n_z + 1) - digamma(n_xz + 1) - digamma(n_yz + 1)
    return digamma(k) + total / n


def scaled(v):
    """Each column divided by its population std, as the kNN estimators do."""
    v = _as_rows(v)
    return v / v.std(axis=0)


def gaussian_mi(cov, dx):
    """Exact MI between the first dx and the remaining coordinates of a Gaussian."""
    cov = np.asarray(cov)
    _, logdet = np.linalg.slogdet(cov)
    _, logdet_x = np.linalg.slogdet(cov[:dx, :dx])
    _, logdet_y = np.linalg.slogdet(cov[dx:, dx:])
    return 0.5 * (logdet_x + logdet_y - logdet)


def naive_ross_mi(labels_, c, k):
    """Ross (2014) as scikit-learn computes it: samples with a unique label are left out;
    k_i = min(k, N_label - 1); r_i the k_i-th distance within the label; m_i the samples
    strictly within r_i, itself included. Max-norm for multi-dimensional c. On an atom
    (r_i = 0), k_i and m_i count the exact copies in the label and in all (Gao et al.
    2017)."""
    labels_ = np.asarray(labels_)
    c = _as_rows(c)
    values, inverse, counts = np.unique(labels_, return_inverse=True, return_counts=True)
    keep = counts[inverse] > 1
    labels_, c, inverse = labels_[keep], c[keep], inverse[keep]
    n = len(labels_)
    total = 0.0
    for i in range(n):
        same = np.flatnonzero(inverse == inverse[i])
        k_i = min(k, len(same) - 1)
        d_same = np.sort(_cheb(c[same], int(np.flatnonzero(same == i)[0])))
        radius = d_same[k_i]  # d_same[0] is the point itself
        m_i = np.sum(_cheb(c, i) < radius)  # includes the point itself
        if radius == 0:  # on an atom: its exact copies, itself included
            k_i, m_i = np.sum(d_same == 0), np.sum(_cheb(c, i) == 0)
        total += digamma(k_i) - digamma(len(same)) - digamma(m_i)
    return digamma(n) + total / n


def naive_gao_mi(x, y, k):
    """Gao et al. (2017), digamma form: KSG algorithm 1 where the k-th neighbour
    distance rho > 0; on atoms (rho = 0) k -> the sample's multiplicity in (x, y) and
    n_x, n_y -> the other samples equal to it in x, in y."""
    x, y = _as_rows(x), _as_rows(y)
    n = len(x)
    joint = np.hstack([x, y])
    total = 0.0
    for i in range(n):
        rho, _ = _kth_neighbour(joint, i, k)
        dx, dy = _cheb(x, i), _cheb(y, i)
        if rho > 0:
            k_i, n_x, n_y = k, np.sum(dx < rho) - 1, np.sum(dy < rho) - 1
        else:
            k_i = np.sum(_cheb(joint, i) == 0)
            n_x, n_y = np.sum(dx == 0) - 1, np.sum(dy == 0) - 1
        total += digamma(k_i) - digamma(n_x + 1) - digamma(n_y + 1)
    return digamma(n) + total / n


def naive_lnc_mi(x, y, k, alpha):
    """KSG algorithm 1 plus the local non-uniformity correction (Gao, Ver Steeg and
    Galstyan 2015): for each sample, its k nearest neighbours (max-norm) and itself,
    as offsets from it; the log volume of their box along the principal axes of
    P^T P minus that along the coordinate axes; where below log(alpha), its negative
    is added, averaged over all samples."""
    x, y = _as_rows(x), _as_rows(y)
    joint = np.hstack([x, y])
    n = len(joint)
    correction = 0.0
    for i in range(n):
        d = _cheb(joint, i)
        d[i] = np.inf
        order = np.lexsort((np.arange(n), d))[:k]  # (distance, index), as fastmi
        local = np.vstack([np.zeros(joint.shape[1]), joint[order] - joint[i]])
        _, vectors = np.linalg.eigh(local.T @ local)
        log_pca = np.log(np.abs(local @ vectors).max(axis=0)).sum()
        log_box = np.log(np.abs(local).max(axis=0)).sum()
        if log_pca - log_box < np.log(alpha):
            correction += log_box - log_pca
    return naive_ksg_mi(x, y, k, 1) + correction / n


def naive_corrected_entropy(counts, correction):
    """Entropy in nats of a table's non-empty counts, by the textbook formulas:
    Grassberger (2003) eq. (35), Chao and Shen (2003), Hausser and Strimmer (2009)
    shrinkage toward uniform over the given cells (``counts`` may hold zeros there)."""
    counts = np.asarray(counts, dtype=float)
    n = counts.sum()
    if np.count_nonzero(counts) <= 1:  # one level: no uncertainty, as fastmi defines
        return 0.0
    if correction == "grassberger":
        c = counts[counts > 0]
        g = digamma(c) + 0.5 * (-1.0) ** c * (digamma((c + 1) / 2) - digamma(c / 2))
        return math.log(n) - np.sum(c * g) / n
    if correction == "chao-shen":
        c = counts[counts > 0]
        f1 = np.sum(c == 1)
        coverage = 1 - (min(f1, n - 1)) / n
        p = coverage * c / n
        return -np.sum(p * np.log(p) / (1 - (1 - p) ** n))
    if correction == "shrinkage":
        u = counts / n
        target = 1 / len(counts)
        spread = (n - 1) * np.sum((target - u) ** 2)  # 0: nothing to shrink toward
        weight = np.clip((1 - np.sum(u**2)) / spread, 0, 1) if spread > 0 else 0.0
        p = weight * target + (1 - weight) * u
        p = p[p > 0]
        return -np.sum(p * np.log(p))
    raise ValueError(correction)
