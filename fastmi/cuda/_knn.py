"""Device parts of the kNN estimators for the GPU backend: KSG algorithms 1 and 2
(Kraskov, Stoegbauer & Grassberger 2004) and Ross (2014) on 1-D variables.

``KNN_PARTS[name](cpu_part)`` turns the CPU tile part of a job (``KsgPart`` of
fastmi.estimators.ksg, ``RossPart`` of fastmi.estimators.mixed) into its device part,
once per job: the prepared columns are copied to the device once, with the digamma
table and the scratch of one batch of pairs. ``part(a, b, out)`` then has the
contract of the CPU part's ``__call__`` (variables a[t], b[t]; MI in nats into out;
no flagged pairs, so None) and gives the same values to the bit (the kernels'
docstring, fastmi.kernels._cuda_knn, says why). ``part.nbytes``: device bytes held.

Pairs with an answer known without a search (a constant variable: 0; Ross with one
label: 0, with no repeated label: nan) never reach the device. The others run in
batches of at most ``capacity`` pairs: a gather of each pair's second column (KSG's
values, Ross's labels) in the sorted order of its first, for Ross one pass per pair
over its blocks of equal values, then the per-sample terms, then the per-pair sums.

On a GPU: a query's search scans the sorted column outwards until the x gap exceeds
its k-th distance, about sqrt(k n) samples for independent variables and fewer for
dependent ones; heavy ties on both variables of a KSG pair make it O(n) per query,
where the CPU takes a KD-tree.
"""

from __future__ import annotations

import math

import numpy as np
from numba import config, cuda

from .._validation import InvalidParameterError
from ..kernels import _cuda_knn as kernels
from ..kernels._digamma import _digamma_int_table
from ._device import quiet_launches
from ._limits import check_k

#: Device bytes for the scratch of one batch of pairs (per pair: a column gathered
#: in another's order and a term per sample, about 16 n bytes); the batch size
#: follows from it and n. Each part holds this scratch for the job's duration.
BATCH_BYTES = 1 << 28
#: Threads per block along the query axis (the simulator runs each as a Python
#: thread: fewer there).
THREADS = 32 if config.ENABLE_CUDASIM else 128
#: CUDA's limit on grid axis y, which numbers the pairs of a launch.
MAX_PAIRS_PER_LAUNCH = 65535


def psi_table(n: int) -> np.ndarray:
    """psi(0), ..., psi(n) as the CPU kernels compute them (``_digamma_int``), so
    every digamma on the device is bitwise the CPU's; psi(0) is a pole, never read."""
    return _digamma_int_table(n)


def batch_capacity(n: int, bytes_per_pair: int, most_pairs: int) -> int:
    """Pairs per batch: the scratch budget, the launch limit, and no more pairs than
    the job can have."""
    return max(1, min(MAX_PAIRS_PER_LAUNCH, BATCH_BYTES // bytes_per_pair, most_pairs))


def launch_shape(n: int, count: int) -> tuple:
    """(blocks, threads) of a kernel with one thread per (sample, pair)."""
    return (-(-n // THREADS), count), (THREADS, 1)


def distinct_values(sorted_: np.ndarray) -> np.ndarray:
    """Distinct values of each row of a (P, n) array sorted by row."""
    if sorted_.shape[1] == 0:
        return np.zeros(sorted_.shape[0], dtype=np.int64)
    return 1 + np.count_nonzero(sorted_[:, 1:] != sorted_[:, :-1], axis=1)


def as_index(array: np.ndarray) -> np.ndarray:
    """An index array for the device: int32 halves the bytes that the searches read."""
    if array.size and (array.max() >= 2**31 or array.min() < -(2**31)):
        raise InvalidParameterError("the CUDA backend takes fewer than 2**31 samples.")
    return np.ascontiguousarray(array, dtype=np.int32)


def device_bytes(*arrays) -> int:
    return int(sum(array.nbytes for array in arrays))


class _BatchedPart:
    """What the kNN device parts share: their pairs run in batches of at most
    ``capacity`` (the scratch they hold), each batch by ``_batch``."""

    def _run(self, pairs: np.ndarray) -> np.ndarray:
        """MI of each pair (rows of the part), batch by batch."""
        n = self.terms.shape[0]
        result = np.empty(len(pairs))
        for start in range(0, len(pairs), self.capacity):
            batch = cuda.to_device(as_index(pairs[start : start + self.capacity]))
            with quiet_launches():
                result[start : start + batch.shape[0]] = self._batch(batch, n)
        return result


class KsgDevicePart(_BatchedPart):
    """KSG (algorithm 1 or 2) on the device for the 1-D variables of a ``KsgPart``.

    The search scans the sorted column of one variable of a pair outwards from the
    query: per pair, the one with more distinct values, so that a heavily tied
    variable is not the scan axis (I(X;Y) is symmetric, bit for bit: the two
    digamma terms are added in either order)."""

    def __init__(self, cpu):
        check_k(cpu.k)
        n_rows, n = cpu.values.shape
        self.k, self.algorithm = int(cpu.k), int(cpu.algorithm)
        self.row, self.constant = cpu.row, cpu.constant
        self.distinct = distinct_values(cpu.sorted_)
        self.values = cuda.to_device(np.ascontiguousarray(cpu.values))
        self.sorted_ = cuda.to_device(np.ascontiguousarray(cpu.sorted_))
        self.order = cuda.to_device(as_index(cpu.order))
        self.rank = cuda.to_device(as_index(cpu.rank))
        self.psi = cuda.to_device(psi_table(n))
        self.capacity = batch_capacity(n, 16 * n + 16, n_rows * n_rows)
        self.along = cuda.device_array((self.capacity, n), dtype=np.float64)
        self.terms = cuda.device_array((n, self.capacity), dtype=np.float64)
        self.found = cuda.device_array(self.capacity, dtype=np.float64)
        self.nbytes = device_bytes(
            self.values, self.sorted_, self.order, self.rank, self.psi,
            self.along, self.terms, self.found,
        )  # fmt: skip

    def __call__(self, a, b, out):
        rows = np.column_stack([self.row[a], self.row[b]])
        live = ~(self.constant[rows[:, 0]] | self.constant[rows[:, 1]])
        out[~live] = 0.0  # a constant variable carries no information
        pairs = rows[live]
        swap = self.distinct[pairs[:, 1]] > self.distinct[pairs[:, 0]]
        pairs[swap] = pairs[swap][:, ::-1]
        out[live] = self._run(pairs)

    def _batch(self, batch, n: int) -> np.ndarray:
        """MI of one batch of pairs on the device."""
        count = batch.shape[0]
        blocks, threads = launch_shape(n, count)
        kernels._gather_along[blocks, threads](self.values, 1, self.order, 0, batch, self.along)
        kernels._ksg_terms[blocks, threads](
            self.values, self.sorted_, self.order, self.rank, batch, self.along,
            self.k, self.algorithm, self.psi, self.terms,
        )  # fmt: skip
        kernels._ksg_totals[-(-count // THREADS), THREADS](
            self.terms, batch, self.k, self.algorithm, self.psi, self.found
        )
        return self.found[:count].copy_to_host()


class RossDevicePart(_BatchedPart):
    """Ross (2014) on the device for the labels and 1-D continuous variables of a
    ``RossPart``. Per discrete variable, prepared once on the host: each sample's
    label size (a label that occurs once leaves its sample out) and the number of
    samples kept."""

    def __init__(self, cpu):
        check_k(cpu.k)
        values, sorted_, order, _, constant = cpu.points
        n = values.shape[1]
        self.k = int(cpu.k)
        self.label_row, self.points_row, self.constant = cpu.label_row, cpu.points_row, constant
        label_size = np.zeros(cpu.labels.shape, dtype=np.int64)
        for d, labels in enumerate(cpu.labels):
            label_size[d] = np.bincount(labels, minlength=int(cpu.n_levels[d]))[labels]
        self.kept_count = np.count_nonzero(label_size > 1, axis=1)
        self.one_label = np.all(cpu.labels == cpu.labels[:, :1], axis=1)
        most_levels = int(max(cpu.n_levels, default=1))
        self.sorted_ = cuda.to_device(np.ascontiguousarray(sorted_))
        self.order = cuda.to_device(as_index(order))
        self.labels = cuda.to_device(as_index(cpu.labels))
        self.label_size = cuda.to_device(as_index(label_size))
        self.kept_device = cuda.to_device(self.kept_count.astype(np.int64))
        self.psi = cuda.to_device(psi_table(n))
        # Per pair: labels gathered, copies, singles_before (int32), terms (float64),
        # a count per label, the pair and its value.
        per_pair = 20 * n + 4 * most_levels + 24
        self.capacity = batch_capacity(n, per_pair, cpu.labels.shape[0] * values.shape[0])
        self.along = cuda.device_array((self.capacity, n), dtype=np.int32)
        self.copies = cuda.device_array((self.capacity, n), dtype=np.int32)
        self.singles_before = cuda.device_array((self.capacity, n + 1), dtype=np.int32)
        self.tally = cuda.to_device(np.zeros((self.capacity, most_levels), dtype=np.int32))
        self.terms = cuda.device_array((n, self.capacity), dtype=np.float64)
        self.found = cuda.device_array(self.capacity, dtype=np.float64)
        self.nbytes = device_bytes(
            self.sorted_, self.order, self.labels, self.label_size, self.kept_device,
            self.psi, self.along, self.copies, self.singles_before, self.tally, self.terms,
            self.found,
        )  # fmt: skip

    def __call__(self, a, b, out):
        discrete_first = self.label_row[a] >= 0
        d = np.where(discrete_first, a, b)
        c = np.where(discrete_first, b, a)
        pairs = np.column_stack([self.label_row[d], self.points_row[c]])
        # As _ross_mi_pairs: 0 for a constant variable or a single label, nan (the
        # caller's error) when no label occurs twice.
        zero = self.constant[pairs[:, 1]] | self.one_label[pairs[:, 0]]
        no_pairs = ~zero & (self.kept_count[pairs[:, 0]] < 2)
        out[zero] = 0.0
        out[no_pairs] = math.nan
        live = ~(zero | no_pairs)
        out[live] = self._run(pairs[live])

    def _batch(self, batch, n: int) -> np.ndarray:
        """MI of one batch of pairs on the device."""
        count = batch.shape[0]
        blocks, threads = launch_shape(n, count)
        per_pair = -(-count // THREADS), THREADS
        kernels._gather_along[blocks, threads](self.labels, 0, self.order, 1, batch, self.along)
        kernels._ross_blocks[per_pair](
            self.sorted_, self.order, self.label_size, batch, self.along, self.tally,
            self.copies, self.singles_before,
        )  # fmt: skip
        kernels._ross_terms[blocks, threads](
            self.sorted_, self.order, self.label_size, batch, self.along, self.copies,
            self.singles_before, self.k, self.psi, self.terms,
        )  # fmt: skip
        kernels._ross_totals[per_pair](
            self.terms, batch, self.label_size, self.kept_device, self.psi, self.found
        )
        return self.found[:count].copy_to_host()


#: Estimator name -> the builder of its device part from its CPU tile part.
KNN_PARTS = {"ksg": KsgDevicePart, "ksg2": KsgDevicePart, "ross": RossDevicePart}
