"""Information bottleneck kernels: the self-consistent updates of the iterative IB
(Tishby, Pereira & Bialek 1999) and of the deterministic IB (Strouse & Schwab 2017).

The table p(y|x) is held row-sparse (CSR): ``indptr`` int64[n_x + 1], ``indices``
int64[nnz] (columns y), ``values`` float64[nnz] (p(y|x) > 0), with ``px`` float64[n_x]
and ``neg_h`` float64[n_x] = sum_y p(y|x) log p(y|x). Encoders are float64[n_x,
n_clusters], rows summing to 1. One pass over the rows of the table updates the
encoder and accumulates the new marginals, so the encoder is read once per iteration.
Everything is in nats.

Numerics: the encoder update works in the log domain, score(x, z) = log q(z) - beta
KL[p(y|x) || q(y|z)], and exponentiates score - max_z score, so no beta overflows
(test_large_beta_reaches_i_xy). log q(y|z) = -inf where q(y|z) = 0 makes the KL +inf
and the score -inf; only positive p(y|x) multiply it, so no NaN arises.
"""

import math

import numba as nb
import numpy as np

from .._config import NUMBA_CACHE


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_cross_entropy(indptr, indices, values, log_q, out):
    """out[x, z] = sum_y p(y|x) log_q[y, z] for log_q float64[n_y, n_clusters] (-inf
    allowed). The inner loop runs over z, contiguous in both arrays."""
    n_x, n_clusters = out.shape
    for x in range(n_x):
        for z in range(n_clusters):
            out[x, z] = 0.0
        for t in range(indptr[x], indptr[x + 1]):
            p = values[t]
            y = indices[t]
            for z in range(n_clusters):
                out[x, z] += p * log_q[y, z]


@nb.njit(cache=NUMBA_CACHE, nogil=True, inline="always")
def _ib_add_row(indptr, indices, values, px, x, encoder, qz, log_qyz):
    """Add row x's share to q(z) and to the joint q(y, z) (held in log_qyz)."""
    for z in range(encoder.shape[1]):
        qz[z] += px[x] * encoder[x, z]
    for t in range(indptr[x], indptr[x + 1]):
        w = px[x] * values[t]
        y = indices[t]
        for z in range(encoder.shape[1]):
            log_qyz[y, z] += w * encoder[x, z]


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_finish_marginals(qz, log_qyz):
    """The joint q(y, z) in log_qyz -> log q(y|z) (-inf where q(y, z) = 0; an empty
    cluster's column is left 0, which no score reads since log q(z) = -inf)."""
    for y in range(log_qyz.shape[0]):
        for z in range(qz.shape[0]):
            if qz[z] > 0.0:
                q = log_qyz[y, z]
                log_qyz[y, z] = math.log(q / qz[z]) if q > 0.0 else -math.inf


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_marginals(indptr, indices, values, px, encoder, qz, log_qyz):
    """q(z) = sum_x p(x) q(z|x) into qz, and log q(y|z) into log_qyz[y, z], with
    q(y, z) = sum_x p(x) p(y|x) q(z|x) summed over x in order."""
    qz[:] = 0.0
    log_qyz[:, :] = 0.0
    for x in range(encoder.shape[0]):
        _ib_add_row(indptr, indices, values, px, x, encoder, qz, log_qyz)
    _ib_finish_marginals(qz, log_qyz)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_information(px, py, encoder, qz, log_qyz):
    """(I(X;Z), I(Z;Y), H(Z)) in nats of an encoder and its marginals."""
    n_x, n_clusters = encoder.shape
    log_qz = np.empty(n_clusters)
    hz = 0.0
    for z in range(n_clusters):
        log_qz[z] = math.log(qz[z]) if qz[z] > 0.0 else 0.0
        if qz[z] > 0.0:
            hz -= qz[z] * log_qz[z]
    ixz = 0.0
    for x in range(n_x):
        part = 0.0
        for z in range(n_clusters):
            q = encoder[x, z]
            if q > 0.0:
                part += q * (math.log(q) - log_qz[z])
        ixz += px[x] * part
    izy = 0.0
    for y in range(py.shape[0]):
        if py[y] == 0.0:
            continue
        log_py = math.log(py[y])
        for z in range(n_clusters):
            if qz[z] > 0.0 and log_qyz[y, z] > -math.inf:
                izy += qz[z] * math.exp(log_qyz[y, z]) * (log_qyz[y, z] - log_py)
    return max(ixz, 0.0), max(izy, 0.0), max(hz, 0.0)


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_step(indptr, indices, values, px, neg_h, qz, log_qyz, beta, deterministic,
             encoder, qz_new, log_qyz_new):  # fmt: skip
    """One update of every row of the encoder from the decoder (qz, log_qyz), and the
    marginals of the new encoder into (qz_new, log_qyz_new), in one pass over x.

    score(x, z) = log q(z) - beta KL[p(y|x) || q(y|z)], the KL being
    neg_h[x] - sum_y p(y|x) log q(y|z); the soft IB takes q(z|x) = softmax_z score,
    the deterministic IB puts all of x on argmax_z score (the first on ties).
    Returns the largest change of an entry of the encoder."""
    n_x, n_clusters = encoder.shape
    score = np.empty(n_clusters)
    log_qz = np.empty(n_clusters)
    change = 0.0
    for z in range(n_clusters):
        log_qz[z] = math.log(qz[z]) if qz[z] > 0.0 else -math.inf
    qz_new[:] = 0.0
    log_qyz_new[:, :] = 0.0
    for x in range(n_x):
        for z in range(n_clusters):
            score[z] = 0.0
        for t in range(indptr[x], indptr[x + 1]):
            p = values[t]
            y = indices[t]
            for z in range(n_clusters):
                score[z] += p * log_qyz[y, z]
        best = -math.inf
        arg = 0
        for z in range(n_clusters):
            if qz[z] <= 0.0 or beta == 0.0:
                s = log_qz[z]
            else:
                # KL >= 0 up to rounding; log q(y|z) = -inf gives KL = +inf, score -inf
                s = log_qz[z] - beta * max(neg_h[x] - score[z], 0.0)
            score[z] = s
            if s > best:
                best = s
                arg = z
        if deterministic:
            for z in range(n_clusters):
                score[z] = 0.0
            score[arg] = 1.0
        else:
            total = 0.0
            for z in range(n_clusters):
                score[z] = math.exp(score[z] - best)  # <= 1: no overflow for any beta
                total += score[z]
            for z in range(n_clusters):
                score[z] /= total
        for z in range(n_clusters):
            change = max(change, abs(score[z] - encoder[x, z]))
            encoder[x, z] = score[z]
        _ib_add_row(indptr, indices, values, px, x, encoder, qz_new, log_qyz_new)
    _ib_finish_marginals(qz_new, log_qyz_new)
    return change


@nb.njit(cache=NUMBA_CACHE, nogil=True)
def _ib_iterate(indptr, indices, values, px, py, neg_h, encoder, beta, deterministic, tol,
                max_iter, history):  # fmt: skip
    """Alternate the marginals and the encoder update from ``encoder`` (overwritten with
    the solution) until the objective L = I(X;Z) - beta I(Z;Y) (deterministic: H(Z) -
    beta I(Z;Y)) falls by at most ``tol`` nats in one iteration while no entry of the
    encoder moves by more than sqrt(tol) (a slow escape from a saddle, near a
    critical beta, is not convergence: test_channel_curve_in_bits), or ``max_iter``
    updates. Each step minimises the IB functional in one block of its variables, so
    L never increases (test_objective_never_increases). history[t] is L after t
    updates. Returns (n_iter, converged, ixz, izy, hz) in nats."""
    n_clusters = encoder.shape[1]
    n_y = py.shape[0]
    qz = np.empty(n_clusters)
    log_qyz = np.empty((n_y, n_clusters))
    qz_new = np.empty(n_clusters)
    log_qyz_new = np.empty((n_y, n_clusters))
    _ib_marginals(indptr, indices, values, px, encoder, qz, log_qyz)
    ixz, izy, hz = _ib_information(px, py, encoder, qz, log_qyz)
    previous = (hz if deterministic else ixz) - beta * izy
    history[0] = previous
    n_iter = 0
    converged = False
    while n_iter < max_iter:
        change = _ib_step(indptr, indices, values, px, neg_h, qz, log_qyz, beta,
                          deterministic, encoder, qz_new, log_qyz_new)  # fmt: skip
        qz, qz_new = qz_new, qz
        log_qyz, log_qyz_new = log_qyz_new, log_qyz
        ixz, izy, hz = _ib_information(px, py, encoder, qz, log_qyz)
        n_iter += 1
        current = (hz if deterministic else ixz) - beta * izy
        history[n_iter] = current
        if previous - current <= tol and change <= math.sqrt(tol):
            converged = True
            break
        previous = current
    return n_iter, converged, ixz, izy, hz
