"""The pairwise engine: MI matrices and MI with a target, over many variables.

Every variable is prepared once (fastmi.pairwise._job, ._prepare); the matrix is cut
into square tiles (._tiles), and each tile's pairs are grouped by estimator, each group
one call of a parallel Numba driver (._drivers) that computes every pair with the same
serial kernel a single ``fastmi.mi`` call uses, so the matrix equals the loop of ``mi``
calls. Tiles run in this process (._engine) or as Dask tasks (._dask), and go to memory
or to disk (._output), where a log of finished tiles lets a killed run resume.
"""
