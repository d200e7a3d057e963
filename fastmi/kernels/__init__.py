"""Numba kernels: plain loops over validated, contiguous arrays of fixed dtypes.

Nothing here checks its input; the layer above has done it. Kernels compile lazily
on first call (``cache=True`` from fastmi._config), never at import.
"""
