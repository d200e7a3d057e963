"""Write the intersphinx inventories of docs/_inventories/ (run by hand, output checked in).

The docs link names of Python, NumPy, pandas, scikit-learn, SciPy, matplotlib and Dask
to those projects' pages, through intersphinx. Their own ``objects.inv`` files cannot
be fetched where the docs are built (CI reaches only package registries), so this
script writes small inventories of our own: the objects these docs name, each at its
page in the project's stable documentation. A name the docs start to use is added to
``OBJECTS`` below and the script run again; the nitpicky build
(``python -m sphinx -n ...``) names any that are missing.

The format is Sphinx's inventory version 2: four header lines, then zlib-compressed
lines ``name domain:role priority uri display-name`` (display ``-`` is the name
itself). In ``OBJECTS``, ``$`` in a uri stands for the name; it is written out in full.

    python docs/scripts/inventories.py            # writes docs/_inventories/*.inv
    python docs/scripts/inventories.py --check    # fails if they are out of date
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_inventories"

_PY_FUNCTIONS = "library/functions.html#$"
_PY_STDTYPES = "library/stdtypes.html#$"
_PY_EXCEPTIONS = "library/exceptions.html#$"
_NP_GENERATED = "reference/generated/$.html#$"
_NP_SCALARS = "reference/arrays.scalars.html"
_PD_API = "reference/api/$.html#$"
_SK_API = "modules/generated/$.html#$"
_SP_API = "reference/generated/$.html#$"

#: project -> (display name, version, [(name, domain:role, uri, display name)]).
OBJECTS: dict[str, tuple[str, str, list[tuple[str, str, str, str]]]] = {
    "python": (
        "Python",
        "3",
        [
            ("int", "py:class", _PY_FUNCTIONS, "-"),
            ("float", "py:class", _PY_FUNCTIONS, "-"),
            ("bool", "py:class", _PY_FUNCTIONS, "-"),
            ("callable", "py:function", _PY_FUNCTIONS, "-"),
            ("range", "py:class", _PY_STDTYPES, "-"),
            ("str", "py:class", _PY_STDTYPES, "-"),
            ("list", "py:class", _PY_STDTYPES, "-"),
            ("tuple", "py:class", _PY_STDTYPES, "-"),
            ("dict", "py:class", _PY_STDTYPES, "-"),
            ("None", "py:data", "library/constants.html#$", "-"),
            ("True", "py:data", "library/constants.html#$", "-"),
            ("False", "py:data", "library/constants.html#$", "-"),
            ("ValueError", "py:exception", _PY_EXCEPTIONS, "-"),
            ("TypeError", "py:exception", _PY_EXCEPTIONS, "-"),
            ("MemoryError", "py:exception", _PY_EXCEPTIONS, "-"),
            ("FileExistsError", "py:exception", _PY_EXCEPTIONS, "-"),
            ("ImportError", "py:exception", _PY_EXCEPTIONS, "-"),
            ("UserWarning", "py:exception", _PY_EXCEPTIONS, "-"),
            ("RuntimeWarning", "py:exception", _PY_EXCEPTIONS, "-"),
            ("math.e", "py:data", "library/math.html#$", "-"),
            ("os.PathLike", "py:class", "library/os.html#$", "-"),
            ("pathlib.Path", "py:class", "library/pathlib.html#$", "-"),
            ("argparse.ArgumentParser", "py:class", "library/argparse.html#$", "-"),
            ("warnings.catch_warnings", "py:class", "library/warnings.html#$", "-"),
            ("warnings.simplefilter", "py:function", "library/warnings.html#$", "-"),
            ("contextlib.contextmanager", "py:function", "library/contextlib.html#$", "-"),
            ("collections.namedtuple", "py:function", "library/collections.html#$", "-"),
            ("bltin-boolean-values", "std:label", "library/stdtypes.html#$", "Boolean Type"),
            ("iterable", "std:term", "glossary.html#term-iterable", "-"),
            ("sequence", "std:term", "glossary.html#term-sequence", "-"),
            ("generator", "std:term", "glossary.html#term-generator", "-"),
            ("path-like object", "std:term", "glossary.html#term-path-like-object", "-"),
        ],
    ),
    "numpy": (
        "NumPy",
        "stable",
        [
            ("numpy", "py:module", "reference/index.html#module-numpy", "-"),
            ("numpy.ndarray", "py:class", _NP_GENERATED, "-"),
            ("numpy.dtype", "py:class", _NP_GENERATED, "-"),
            ("numpy.float32", "py:class", _NP_SCALARS + "#$", "-"),
            ("numpy.float64", "py:class", _NP_SCALARS + "#$", "-"),
            ("numpy.int64", "py:class", _NP_SCALARS + "#$", "-"),
            ("numpy.inf", "py:data", "reference/constants.html#$", "-"),
            ("numpy.nan", "py:data", "reference/constants.html#$", "-"),
            ("numpy.random.Generator", "py:class", "reference/random/generator.html#$", "-"),
            ("numpy.random.default_rng", "py:function", "reference/random/generator.html#$", "-"),
            ("numpy.random.RandomState", "py:class", "reference/random/legacy.html#$", "-"),
            ("numpy.digitize", "py:function", _NP_GENERATED, "-"),
            ("numpy.histogram_bin_edges", "py:function", _NP_GENERATED, "-"),
            ("numpy.save", "py:function", _NP_GENERATED, "-"),
            ("numpy.load", "py:function", _NP_GENERATED, "-"),
            ("numpy.memmap", "py:class", _NP_GENERATED, "-"),
            ("array_like", "std:term", "glossary.html#term-array_like", "-"),
            ("arrays.scalars", "std:label", _NP_SCALARS + "#arrays-scalars", "Scalars"),
        ],
    ),
    "pandas": (
        "pandas",
        "stable",
        [
            ("pandas", "py:module", "reference/index.html#module-pandas", "-"),
            ("pandas.DataFrame", "py:class", _PD_API, "-"),
            ("pandas.Series", "py:class", _PD_API, "-"),
            ("pandas.Categorical", "py:class", _PD_API, "-"),
            ("pandas.CategoricalDtype", "py:class", _PD_API, "-"),
            ("pandas.read_csv", "py:function", _PD_API, "-"),
            ("pandas.read_parquet", "py:function", _PD_API, "-"),
            ("pandas.DataFrame.to_csv", "py:method", _PD_API, "-"),
        ],
    ),
    "sklearn": (
        "scikit-learn",
        "stable",
        [
            ("sklearn.feature_selection.mutual_info_regression", "py:function", _SK_API, "-"),
            ("sklearn.feature_selection.mutual_info_classif", "py:function", _SK_API, "-"),
            ("sklearn.feature_selection.SelectKBest", "py:class", _SK_API, "-"),
            ("sklearn.feature_selection.SelectorMixin", "py:class", _SK_API, "-"),
            ("sklearn.feature_selection.RFE", "py:class", _SK_API, "-"),
            ("sklearn.metrics.mutual_info_score", "py:function", _SK_API, "-"),
            ("sklearn.metrics.normalized_mutual_info_score", "py:function", _SK_API, "-"),
            ("sklearn.pipeline.Pipeline", "py:class", _SK_API, "-"),
            ("sklearn.model_selection.GridSearchCV", "py:class", _SK_API, "-"),
            ("sklearn.base.BaseEstimator", "py:class", _SK_API, "-"),
            ("sklearn.datasets.load_wine", "py:function", _SK_API, "-"),
            ("sklearn.datasets.load_breast_cancer", "py:function", _SK_API, "-"),
            ("sklearn.datasets.load_digits", "py:function", _SK_API, "-"),
            ("sklearn.neural_network.MLPClassifier", "py:class", _SK_API, "-"),
        ],
    ),
    "scipy": (
        "SciPy",
        "stable",
        [
            ("scipy.sparse", "py:module", "reference/sparse.html#module-scipy.sparse", "-"),
            ("scipy.spatial.cKDTree", "py:class", _SP_API, "-"),
            ("scipy.spatial.KDTree", "py:class", _SP_API, "-"),
            ("scipy.stats.entropy", "py:function", _SP_API, "-"),
            ("scipy.stats.chi2", "py:data", _SP_API, "-"),
            ("scipy.stats.false_discovery_control", "py:function", _SP_API, "-"),
            ("scipy.special.digamma", "py:data", _SP_API, "-"),
            ("scipy.cluster.hierarchy.linkage", "py:function", _SP_API, "-"),
            ("scipy.cluster.hierarchy.optimal_leaf_ordering", "py:function", _SP_API, "-"),
            ("scipy.cluster.hierarchy.leaves_list", "py:function", _SP_API, "-"),
        ],
    ),
    "matplotlib": (
        "Matplotlib",
        "stable",
        [
            ("matplotlib.axes.Axes", "py:class", "api/axes_api.html#$", "-"),
            ("matplotlib.figure.Figure", "py:class", "api/figure_api.html#$", "-"),
            ("matplotlib.pyplot.subplots", "py:function", "api/_as_gen/$.html#$", "-"),
        ],
    ),
    "dask": (
        "distributed",
        "stable",
        [
            ("dask.distributed.Client", "py:class", "api.html#distributed.Client", "-"),
            ("distributed.Client", "py:class", "api.html#$", "-"),
            ("distributed.LocalCluster", "py:class", "api.html#$", "-"),
        ],
    ),
}


def inventory_bytes(project: str, version: str, objects) -> bytes:
    """One inventory in Sphinx's version 2 format (sorted, so the bytes are stable)."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(
        f"{name} {role} 1 {uri.replace('$', name)} {display}\n"
        for name, role, uri, display in sorted(objects)
    )
    return header.encode() + zlib.compress(lines.encode(), 9)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a file is out of date")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    stale = []
    for name, (project, version, objects) in OBJECTS.items():
        path = OUT / f"{name}.inv"
        data = inventory_bytes(project, version, objects)
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.name)
        else:
            path.write_bytes(data)
    if stale:
        sys.stderr.write(f"out of date: {', '.join(stale)}; run {Path(__file__).name}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
