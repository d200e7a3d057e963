"""The pairwise engine: MI matrices and MI with a target, over many variables.

Every variable is prepared once, by the tile part of each estimator in use
(fastmi.estimators; assembled in ._job); the matrix is cut into square tiles (._tiles),
and each tile's pairs are grouped by estimator, each group one call of a parallel
Numba driver that computes every pair with the same serial pair function a single
``fastmi.mi`` call uses, so the matrix equals the loop of ``mi`` calls bit for bit.
Tiles run in this process (._engine) or as Dask tasks (._dask), and go to memory or to
disk (._output), where a log of finished tiles lets a killed run resume.
"""
