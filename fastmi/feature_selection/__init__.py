"""Feature selection on mutual information: MRMR, JMI and CMIM as scikit-learn selectors.

Greedy forward selection by criteria of Brown et al.'s (2012) family, computed by the
fastmi engine: relevance I(f;y) of every feature once, then per step one column of
the MI matrix (and, for JMI and CMIM, of the conditional MI matrix given y), with
every feature prepared once. The selectors are scikit-learn transformers
(``SelectorMixin``): ``fit``, ``transform``, ``get_support``, and they work in a
``Pipeline`` and ``GridSearchCV``. Needs scikit-learn (``pip install scikit-learn``).

Examples
--------
>>> import numpy as np
>>> from fastmi.feature_selection import MRMR
>>> rng = np.random.default_rng(0)
>>> X = rng.normal(size=(500, 5))
>>> y = X[:, 3] + 0.5 * X[:, 1] + 0.3 * rng.normal(size=500)
>>> MRMR(n_features_to_select=2).fit(X, y).get_support(indices=True)
array([1, 3])
"""

try:
    import sklearn  # noqa: F401
except ImportError:
    raise ImportError(
        "fastmi.feature_selection needs scikit-learn, which is not installed: "
        "pip install scikit-learn"
    ) from None

from ._selectors import CMIM, JMI, MRMR

__all__ = ["CMIM", "JMI", "MRMR"]
