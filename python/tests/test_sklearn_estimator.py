"""PenalizedRegression as a scikit-learn estimator: check_estimator, clone, Pipeline, GridSearchCV,
cross_val_score, input conversion and the spec's error codes for bad training data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import regpen
from regpen.model import ConvergenceWarning, LinearModel, PenalizedRegression, regularization_path

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


def data(n: int = 60, p: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    return x, x @ np.array([2.0, 0.0, -1.0, 0.0, 0.5][:p]) + 1.0 + 0.1 * rng.standard_normal(n)


@parametrize_with_checks([PenalizedRegression(), LinearModel(method="fista")])
def test_scikit_learn_estimator_checks(estimator: object, check: object) -> None:
    check(estimator)  # type: ignore[operator]


def test_clone_keeps_the_constructor_arguments_and_drops_the_fit() -> None:
    x, y = data()
    penalty = regpen.ElasticNet(0.1, 0.05)
    model = PenalizedRegression(penalty, solver="fista", max_iter=300).fit(x, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "coef_")
    with pytest.raises(NotFittedError):
        copy.predict(x)


def test_pipeline_grid_search_and_cross_validation() -> None:
    x, y = data()
    pipeline = make_pipeline(StandardScaler(), PenalizedRegression(regpen.L1(0.1)))
    assert pipeline.fit(x, y).score(x, y) > 0.95
    grid = {"penalizedregression__penalty": [regpen.L1(10.0), regpen.L1(0.01), regpen.L2(0.01)]}
    search = GridSearchCV(pipeline, grid, cv=3).fit(x, y)
    assert search.best_params_["penalizedregression__penalty"] != regpen.L1(
        10.0
    )  # that one zeroes everything
    scores = cross_val_score(PenalizedRegression(regpen.L1(0.01)), x, y, cv=4)
    assert scores.shape == (4,) and np.all(scores > 0.9)


def test_set_params_refits_with_the_new_penalty() -> None:
    x, y = data()
    model = PenalizedRegression(regpen.L1(0.01)).fit(x, y)
    dense = np.count_nonzero(model.coef_)
    model.set_params(penalty=regpen.L1(1.5)).fit(x, y)
    assert np.count_nonzero(model.coef_) < dense


def test_float32_and_integer_data_are_fitted_as_their_exact_float64_values() -> None:
    x, y = data()
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    as32 = PenalizedRegression(regpen.L1(0.1)).fit(x32, y32)
    as64 = PenalizedRegression(regpen.L1(0.1)).fit(x32.astype(np.float64), y32.astype(np.float64))
    assert as32.coef_.dtype == np.float64
    assert np.array_equal(as32.coef_, as64.coef_) and as32.intercept_ == as64.intercept_
    xi, yi = np.round(x * 10).astype(np.int64), np.round(y * 10).astype(np.int32)
    from_int = PenalizedRegression(regpen.L1(0.1)).fit(xi, yi)
    from_float = PenalizedRegression(regpen.L1(0.1)).fit(xi.astype(float), yi.astype(float))
    assert np.array_equal(from_int.coef_, from_float.coef_)


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_training_data_is_rejected_with_its_code(where: str, bad: float) -> None:
    x, y = data()
    (x if where == "X" else y)[3] = bad
    with pytest.raises(regpen.RegpenError) as caught:
        PenalizedRegression().fit(x, y)
    assert caught.value.code == "non_finite_input"
    assert isinstance(caught.value, ValueError)
    assert where in str(caught.value)


def test_empty_and_mismatched_data_have_codes() -> None:
    with pytest.raises(regpen.EmptyInputError):
        PenalizedRegression().fit(np.zeros((0, 3)), np.zeros(0))
    with pytest.raises(regpen.EmptyInputError):
        PenalizedRegression().fit(np.zeros((4, 0)), np.zeros(4))
    with pytest.raises(regpen.ShapeMismatchError):
        PenalizedRegression().fit(np.zeros((4, 2)), np.zeros(5))
    with pytest.raises(regpen.ShapeMismatchError):
        PenalizedRegression(regpen.L1(0.1, penalty_factor=[1.0, 1.0, 0.0])).fit(np.zeros((4, 2)), np.zeros(4))


def test_a_constant_column_and_more_features_than_samples_are_allowed() -> None:
    x, y = data(n=8, p=5)
    x[:, 1] = 3.0
    model = PenalizedRegression(regpen.L1(0.05), tol=1e-10).fit(x, y)
    assert model.coef_[1] == 0.0 and model.converged_
    wide = np.hstack([x, np.random.default_rng(1).standard_normal((8, 20))])
    assert PenalizedRegression(regpen.L1(0.05), max_iter=5000).fit(wide, y).coef_.shape == (25,)


def test_max_iter_warns_how_far_from_converged() -> None:
    x, y = data()
    with pytest.warns(ConvergenceWarning, match=r"not converged after 2 iterations: duality gap .* times"):
        model = PenalizedRegression(regpen.L1(0.01), solver="ista", max_iter=2, tol=1e-12).fit(x, y)
    assert model.n_iter_ == 2 and not model.converged_
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PenalizedRegression(regpen.L1(0.01)).fit(x, y)  # converges: silent


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_regularization_path_with_and_without_intercept(fit_intercept: bool) -> None:
    x, y = data()
    path = regularization_path(x, y, n_strengths=8, fit_intercept=fit_intercept, tol=1e-10)
    assert path.coefs.shape == (8, 5) and path.intercepts.shape == (8,)
    assert path.n_nonzero()[0] == 0 and path.n_nonzero()[-1] >= 3
    if not fit_intercept:
        assert np.all(path.intercepts == 0)
    # Each point is the fit at that strength, warm start or not.
    last = PenalizedRegression(regpen.L1(path.strengths[-1]), fit_intercept=fit_intercept, tol=1e-10).fit(
        x, y
    )
    np.testing.assert_allclose(path.coefs[-1], last.coef_, atol=1e-6)


def test_path_grid_must_be_positive() -> None:
    x, y = data()
    for grid in ([1.0, 0.0], [1.0, -1.0], [np.nan], []):
        with pytest.raises(regpen.InvalidLambdaError):
            regularization_path(x, y, strengths=grid)
    with pytest.raises(regpen.InvalidLambdaError):
        regularization_path(x, y, eps=0.0)
    with pytest.raises(regpen.InvalidArgumentError):
        regularization_path(x, y, regpen.L2)  # no L1 part, no lambda_max: strengths are needed
    assert regularization_path(x, y, regpen.L2, [1.0, 0.1]).coefs.shape == (2, 5)
