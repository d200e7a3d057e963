"""Every ``method`` choice a public docstring lists is accepted, and every other one
of the registry's methods is refused with an InvalidParameterError.

The choices are read from the numpydoc ``method`` entry, ``method : {"auto", ...}``,
as the API pages show it; the truth is what a call on small data of the most general
kind (continuous, where every estimator applies) does.
"""

import inspect
import re
import warnings

import numpy as np
import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

import fastmi
from fastmi.estimators import METHODS

N = 40
_rng = np.random.default_rng(0)
X = _rng.normal(size=(N, 3))
X[:, 1] += X[:, 0]
x, y, z = X.T
LABELS = np.arange(N) % 2


def _feature_selection():
    pytest.importorskip("sklearn")
    from fastmi import feature_selection

    return feature_selection


# name -> (the documented object, a call with method=m on small continuous data)
CALLS = {
    "entropy": (fastmi.entropy, lambda m: fastmi.entropy(x, method=m)),
    "mi": (fastmi.mi, lambda m: fastmi.mi(x, y, method=m)),
    "cmi": (fastmi.cmi, lambda m: fastmi.cmi(x, y, z, method=m)),
    "mi_test": (fastmi.mi_test, lambda m: fastmi.mi_test(x, y, method=m, n_permutations=3)),
    "cmi_test": (
        fastmi.cmi_test,
        lambda m: fastmi.cmi_test(x, y, z, method=m, n_permutations=3),
    ),
    "mi_ci": (fastmi.mi_ci, lambda m: fastmi.mi_ci(x, y, method=m, n_resamples=3)),
    "pairwise_mi": (fastmi.pairwise_mi, lambda m: fastmi.pairwise_mi(X, method=m)),
    "pairwise_cmi": (fastmi.pairwise_cmi, lambda m: fastmi.pairwise_cmi(X[:, :2], z, method=m)),
    "mi_with_target": (fastmi.mi_with_target, lambda m: fastmi.mi_with_target(X, y, method=m)),
    "pairwise_test": (
        fastmi.pairwise_test,
        lambda m: fastmi.pairwise_test(X, method=m, n_permutations=3),
    ),
    "plan": (fastmi.plan, lambda m: fastmi.plan(X, method=m)),
    # one unit per layer: the joint dimension stays below k, as "lnc" needs
    "layer_mi": (fastmi.layer_mi, lambda m: fastmi.layer_mi(X[:, :1], X[:, 1:2], method=m)),
    "unit_matching": (
        fastmi.unit_matching,
        lambda m: fastmi.unit_matching(X[:, :2], X[:, 1:], method=m),
    ),
    "information_plane": (
        fastmi.information_plane,
        lambda m: fastmi.information_plane(X[:, :1], [X[:, 1:2]], LABELS, method=m, bins=3),
    ),
}
SELECTORS = ("MRMR", "JMI", "CMIM")


def _selector_call(name):
    def call(m):
        selector = getattr(_feature_selection(), name)
        return selector(1, method=m).fit(X, y)

    return call


def documented(name):
    """The object and its call; the selectors import scikit-learn on demand."""
    if name in SELECTORS:
        return getattr(_feature_selection(), name), _selector_call(name)
    return CALLS[name]


def listed_methods(obj) -> tuple[str, ...]:
    """The choices of the numpydoc ``method`` entry: the quoted names in its braces."""
    doc = ClassDoc(obj) if inspect.isclass(obj) else FunctionDoc(obj)
    entries = [p for p in doc["Parameters"] if "method" in re.split(r",\s*", p.name)]
    assert entries, f"{obj.__name__}: no `method` entry in Parameters"
    choices = re.match(r"\s*\{([^}]*)\}", entries[0].type)
    assert choices, (
        f"{obj.__name__}: the `method` entry's type should list the choices, "
        f'{{"auto", ...}}; got {entries[0].type!r}'
    )
    return tuple(re.findall(r'"([^"]+)"', choices.group(1)))


NAMES = [*CALLS, *SELECTORS]


@pytest.mark.parametrize("name", NAMES)
def test_method_entry_lists_choices_of_the_registry(name):
    obj, _ = documented(name)
    listed = listed_methods(obj)
    assert listed, f"{name}: the `method` entry lists no choice"
    unknown = set(listed) - set(METHODS)
    assert not unknown, f"{name}: lists {sorted(unknown)}, not methods of the registry"
    assert len(set(listed)) == len(listed), f"{name}: a choice is listed twice"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", NAMES)
def test_listed_methods_are_accepted_and_others_refused(name, method):
    obj, call = documented(name)
    listed = listed_methods(obj)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # estimates of 40 samples warn; not the point
        if method in listed:
            try:
                call(method)
            except fastmi.InvalidParameterError as error:
                pytest.fail(f"{name} lists method={method!r} but refuses it: {error}")
        else:
            with pytest.raises(fastmi.InvalidParameterError):
                call(method)


def test_entropy_refuses_an_mi_only_method():
    with pytest.raises(fastmi.InvalidParameterError, match="estimates mutual information only"):
        fastmi.entropy(x, method="gcmi")


def test_cmi_test_takes_what_cmi_takes():
    """cmi_test documents method= "as in fastmi.cmi": under "auto", a discrete z with
    continuous x and y is estimated class by class by both, to the same value."""
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 3, 300)
    a, b = labels + rng.normal(size=(2, 300))
    result = fastmi.cmi_test(a, b, labels, n_permutations=20)
    assert result.statistic == fastmi.cmi(a, b, labels)
    assert result.null == "stratified permutation"
    assert 1 / 21 <= result.pvalue <= 1
    with pytest.raises(fastmi.InvalidParameterError, match="no analytic null"):
        fastmi.cmi_test(a, b, labels, null="analytic")


def _public_objects():
    pytest.importorskip("sklearn")
    import fastmi.plot
    import fastmi.sklearn

    modules = [fastmi, fastmi.info, fastmi.sklearn, fastmi.datasets, fastmi.plot]
    for module in modules:
        for name in getattr(module, "__all__", dir(module)):
            if not name.startswith("_"):
                yield name, getattr(module, name)


def test_every_public_function_with_a_method_parameter_is_covered():
    """A new public function with ``method=`` must join CALLS (or SELECTORS)."""
    missing = []
    for name, obj in _public_objects():
        if not inspect.isfunction(obj):  # results carry a `method` field; no choice
            continue
        try:
            parameters = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        if "method" in parameters and name not in CALLS and name not in SELECTORS:
            missing.append(name)
    assert not missing, f"public functions with method= not checked here: {missing}"
