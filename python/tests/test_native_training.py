"""The native solvers (native/src/train.cc through regpen._native) against the reference solvers of
regpen._training and the oracle's training.json, bit for bit: the vectors with the native route on
and off, a diabetes fit with each solver and penalty, and a diabetes path (SPEC §7)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import test_training_vectors as vectors

import regpen
from regpen import _training
from regpen.model import PenalizedRegression, regularization_path

pytest.importorskip("regpen._native")


def bits(a: object) -> list[int]:
    return np.atleast_1d(np.asarray(a, dtype=np.float64)).view(np.uint64).tolist()


@pytest.fixture(params=[True, False], ids=["native", "reference"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    monkeypatch.setattr(_training, "use_native", request.param)
    yield request.param


@pytest.mark.parametrize("test", vectors.TESTS, ids=[t["id"] for t in vectors.TESTS])
def test_training_vector_on_both_routes(test: dict[str, Any], route: bool) -> None:
    vectors.test_training_vector(test)


@pytest.mark.filterwarnings("ignore::regpen.model.ConvergenceWarning")
@pytest.mark.parametrize("test", vectors.PATHS, ids=[t["id"] for t in vectors.PATHS])
def test_path_vector_on_both_routes(test: dict[str, Any], route: bool) -> None:
    vectors.test_path_vector(test)


def test_native_route_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """The estimator's fits go through the extension when it is built (a failing stub proves it)."""
    calls: list[str] = []
    real = _training._native_ext._fit  # type: ignore[union-attr]

    def spy(*args: Any) -> Any:
        calls.append(args[6])
        return real(*args)

    monkeypatch.setattr(_training._native_ext, "_fit", spy)
    x = np.arange(12.0).reshape(6, 2) ** 1.5
    PenalizedRegression(regpen.L1(0.1)).fit(x, np.arange(6.0))
    assert calls == ["cd"]


def diabetes() -> tuple[np.ndarray, np.ndarray]:
    datasets = pytest.importorskip("sklearn.datasets")
    return datasets.load_diabetes(return_X_y=True)


def fit_both(monkeypatch: pytest.MonkeyPatch, penalty: regpen.Penalty, **options: Any) -> tuple[Any, Any]:
    x, y = diabetes()
    fits = []
    for native in (True, False):
        monkeypatch.setattr(_training, "use_native", native)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits.append(_training.train(x, y, penalty, record=True, **options))
    return fits[0], fits[1]


@pytest.mark.parametrize(
    ("penalty", "options"),
    [
        (regpen.from_sklearn(0.1, 1.0), {}),
        (regpen.from_sklearn(0.01, 0.5), {}),
        (regpen.L2(0.05), {"fit_intercept": False, "max_iter": 50}),
        (regpen.L1(0.2, penalty_factor=[1, 0, 2, 1, 1, 0.5, 1, 1, 3, 1]), {}),
        (regpen.from_sklearn(0.1, 1.0), {"solver": "fista", "max_iter": 60}),
        (regpen.from_sklearn(0.1, 0.7), {"solver": "ista", "max_iter": 40}),
    ],
    ids=["lasso", "enet", "ridge-no-intercept", "factors", "fista", "ista"],
)
def test_diabetes_fit_bits_equal_reference(
    monkeypatch: pytest.MonkeyPatch, penalty: regpen.Penalty, options: dict[str, Any]
) -> None:
    native, reference = fit_both(monkeypatch, penalty, **options)
    assert native.n_iter == reference.n_iter
    assert [bits(w) for w in native.trajectory] == [bits(w) for w in reference.trajectory]
    assert bits(native.coef) == bits(reference.coef)
    assert bits(native.intercept) == bits(reference.intercept)
    assert bits(native.gap) == bits(reference.gap)
    assert bits(native.tau) == bits(reference.tau)
    assert native.converged == reference.converged


def test_diabetes_path_bits_equal_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y = diabetes()
    paths = []
    for native in (True, False):
        monkeypatch.setattr(_training, "use_native", native)
        paths.append(
            regularization_path(x, y, lambda s: regpen.from_sklearn(s, 1.0), n_strengths=12, eps=1e-2)
        )
    a, b = paths
    assert bits(a.strengths) == bits(b.strengths)
    assert [bits(w) for w in a.coefs] == [bits(w) for w in b.coefs]
    assert bits(a.intercepts) == bits(b.intercepts)
    assert a.n_iters.tolist() == b.n_iters.tolist()
    assert bits(a.gaps) == bits(b.gaps)


def test_native_errors_carry_spec_codes() -> None:
    x = np.array([[1.0, np.inf], [2.0, 3.0]])
    with pytest.raises(regpen.RegpenError) as caught:
        _training._native_ext._fit("l1", 0.1, 0.0, None, x, np.zeros(2), "cd", True, 10, 1e-4, None, False)  # type: ignore[union-attr]
    assert caught.value.code == "non_finite_input"
    assert "X contains NaN or inf" in str(caught.value)
    with pytest.raises(regpen.RegpenError) as caught:
        _training._native_ext._fit(
            "l1", 0.1, 0.0, None, np.ones((2, 2)), np.zeros(2), "newton", True, 10, 1e-4, None, False
        )  # type: ignore[union-attr]
    assert caught.value.code == "invalid_argument"
