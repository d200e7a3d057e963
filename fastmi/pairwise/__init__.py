"""The pairwise engine: MI matrices and MI with a target, over many variables.

Per-variable preparation happens once (fastmi.pairwise._prepare); pairs are grouped by
estimator and cut into tiles, each tile one call of a parallel Numba driver
(fastmi.pairwise._drivers) that computes every pair with the same serial kernel a
single ``fastmi.mi`` call uses, so the matrix equals the loop of ``mi`` calls.
"""
