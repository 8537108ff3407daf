"""regpen's fits against scikit-learn's on the same data: objectives within 1e-9 relative, identical
supports (issue 10). Both are fitted to a tight duality gap, so each reaches the true minimizer.

regpen minimizes MSE + penalty; scikit-learn's Lasso/ElasticNet minimize half of that for the penalty
`from_sklearn(alpha, l1_ratio)`, and its Ridge(alpha) is L2(alpha / n) times n: the objectives below
are all written in scikit-learn's form, from the coefficients each library returns.
"""

from __future__ import annotations

import numpy as np
import pytest

import regpen
from regpen.model import PenalizedRegression, lambda_max, regularization_path

pytest.importorskip("sklearn")

from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, Ridge, enet_path, lasso_path

TOL = 1e-12  # relative duality gap for both libraries (each in its own, equivalent, scale)
RELATIVE = 1e-9


def enet_objective(
    x: np.ndarray, y: np.ndarray, coef: np.ndarray, b: float, alpha: float, ratio: float
) -> float:
    r = y - x @ coef - b
    return r @ r / (2 * len(y)) + alpha * ratio * np.abs(coef).sum() + alpha * (1 - ratio) / 2 * coef @ coef


def ridge_objective(x: np.ndarray, y: np.ndarray, coef: np.ndarray, b: float, alpha: float) -> float:
    r = y - x @ coef - b
    return r @ r + alpha * coef @ coef


def diabetes() -> tuple[np.ndarray, np.ndarray]:
    return load_diabetes(return_X_y=True)


def sparse_problem(n: int, p: int, seed: int = 10) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    truth = np.zeros(p)
    truth[rng.choice(p, 10, replace=False)] = rng.choice([-3.0, -1.0, 1.0, 2.0], 10)
    return x, x @ truth + 2.0 + rng.standard_normal(n)


def alpha_max(x: np.ndarray, y: np.ndarray, fit_intercept: bool) -> float:
    xc, yc = (x - x.mean(0), y - y.mean()) if fit_intercept else (x, y)
    return float(np.max(np.abs(xc.T @ yc)) / len(y))


def assert_same_solution(ours: np.ndarray, theirs: np.ndarray, f_ours: float, f_theirs: float) -> None:
    assert abs(f_ours - f_theirs) <= RELATIVE * abs(f_theirs), (f_ours, f_theirs)
    assert np.array_equal(ours != 0, theirs != 0)


CASES = [
    # (data, alpha as a fraction of alpha_max, l1_ratio, fit_intercept, max_iter for regpen)
    ("diabetes", 0.05, 1.0, True),
    ("diabetes", 0.05, 1.0, False),
    ("diabetes", 0.002, 0.5, True),
    ("diabetes", 0.002, 0.5, False),
    ("tall 1000x200", 0.1, 1.0, True),
    ("tall 1000x200", 0.1, 0.7, False),
    ("wide 200x1000", 0.2, 1.0, True),
    ("wide 200x1000", 0.2, 0.7, False),
]
DATA = {
    "diabetes": diabetes,
    "tall 1000x200": lambda: sparse_problem(1000, 200),
    "wide 200x1000": lambda: sparse_problem(200, 1000),
}


@pytest.mark.parametrize(("name", "fraction", "ratio", "fit_intercept"), CASES)
def test_lasso_and_elastic_net_match_scikit_learn(
    name: str, fraction: float, ratio: float, fit_intercept: bool
) -> None:
    x, y = DATA[name]()
    alpha = fraction * alpha_max(x, y, fit_intercept) / ratio
    make = Lasso(alpha=alpha) if ratio == 1 else ElasticNet(alpha=alpha, l1_ratio=ratio)
    theirs = make.set_params(fit_intercept=fit_intercept, tol=TOL, max_iter=100_000).fit(x, y)
    ours = PenalizedRegression(
        regpen.from_sklearn(alpha, ratio), fit_intercept=fit_intercept, tol=TOL, max_iter=10_000
    )
    ours.fit(x, y)
    assert ours.converged_
    assert_same_solution(
        ours.coef_,
        theirs.coef_,
        enet_objective(x, y, ours.coef_, ours.intercept_, alpha, ratio),
        enet_objective(x, y, theirs.coef_, theirs.intercept_, alpha, ratio),
    )


@pytest.mark.parametrize(
    ("name", "fit_intercept"), [("diabetes", True), ("diabetes", False), ("tall 1000x200", True)]
)
def test_ridge_matches_scikit_learn(name: str, fit_intercept: bool) -> None:
    x, y = DATA[name]()
    alpha = 0.5
    theirs = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="cholesky").fit(x, y)
    ours = PenalizedRegression(
        regpen.L2(alpha / len(y)), fit_intercept=fit_intercept, tol=TOL, max_iter=10_000
    )
    ours.fit(x, y)
    f_ours = ridge_objective(x, y, ours.coef_, ours.intercept_, alpha)
    f_theirs = ridge_objective(x, y, theirs.coef_, theirs.intercept_, alpha)
    assert abs(f_ours - f_theirs) <= RELATIVE * f_theirs, (f_ours, f_theirs)
    assert np.all(ours.coef_ != 0)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("ratio", [1.0, 0.5])
def test_paths_match_lasso_path_and_enet_path(ratio: float, fit_intercept: bool) -> None:
    x, y = diabetes()
    # scikit-learn's paths fit no intercept: give them the centred data that regpen centres itself.
    xc, yc = (x - x.mean(0), y - y.mean()) if fit_intercept else (x, y)
    family = lambda s: regpen.from_sklearn(s, ratio)  # noqa: E731
    top = lambda_max(x, y, family, fit_intercept=fit_intercept)
    assert top == pytest.approx(alpha_max(x, y, fit_intercept) / ratio, rel=1e-12)
    # The diabetes features are correlated: below 1e-2·lambda_max regpen's CD (like scikit-learn's,
    # sweep for sweep) needs about a thousand sweeps per point, too slow for the pure-Python reference.
    options = {"tol": 1e-10, "max_iter": 100_000}
    ours = regularization_path(x, y, family, n_strengths=10, eps=1e-2, fit_intercept=fit_intercept, **options)
    if ratio == 1:
        _, coefs, _ = lasso_path(xc, yc, alphas=ours.strengths, **options)
    else:
        _, coefs, _ = enet_path(xc, yc, l1_ratio=ratio, alphas=ours.strengths, **options)
    assert np.count_nonzero(ours.coefs[0]) == 0
    for k, alpha in enumerate(ours.strengths):
        f_ours = enet_objective(xc, yc, ours.coefs[k], 0.0, alpha, ratio)
        f_theirs = enet_objective(xc, yc, coefs[:, k], 0.0, alpha, ratio)
        assert_same_solution(ours.coefs[k], coefs[:, k], f_ours, f_theirs)
    if fit_intercept:
        np.testing.assert_allclose(ours.intercepts, y.mean() - ours.coefs @ x.mean(0), rtol=1e-12)
