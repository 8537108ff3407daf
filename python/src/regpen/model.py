"""Linear models trained with a regpen penalty (SPEC §7): a scikit-learn estimator and the path.

The seed's sequence diagram, `Client → Model.trainModel(trainingData, labels) → computeLoss →
trainedModel`, is `PenalizedRegression(penalty).fit(X, y)` (alias `train_model`). It minimizes
regpen's objective `(1/n)·‖y − Xw − b‖² + penalty(w)` by cyclic coordinate descent (default), ISTA or
FISTA, stops on the duality gap, and warns with a ConvergenceWarning when max_iter runs out first.
With scikit-learn installed the estimator is a real scikit-learn estimator (clone, Pipeline,
GridSearchCV, check_estimator); without it, the same protocol is provided by a small fallback.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from regpen import _training
from regpen.errors import InvalidArgumentError, InvalidLambdaError
from regpen.penalties import L1, Penalty

try:
    from sklearn.base import BaseEstimator, RegressorMixin
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.utils import check_array
    from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

    HAVE_SKLEARN = True
except ImportError:  # pragma: no cover - exercised only where scikit-learn is absent
    HAVE_SKLEARN = False

    class ConvergenceWarning(UserWarning):  # type: ignore[no-redef]
        """A fit stopped at max_iter before its duality gap reached the tolerance."""

    class NotFittedError(ValueError, AttributeError):
        """The estimator is used before `fit`."""

    class BaseEstimator:  # type: ignore[no-redef]
        """get_params/set_params from the constructor's signature, as scikit-learn defines them."""

        def get_params(self, deep: bool = True) -> dict[str, Any]:
            names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
            return {name: getattr(self, name) for name in names}

        def set_params(self, **params: Any) -> BaseEstimator:
            valid = self.get_params()
            for name, value in params.items():
                if name not in valid:
                    raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}")
                setattr(self, name, value)
            return self

    class RegressorMixin:  # type: ignore[no-redef]
        def score(self, X: object, y: object) -> float:
            """R² of the predictions, as scikit-learn's RegressorMixin.score."""
            target = np.asarray(y, dtype=np.float64)
            residual = target - self.predict(X)  # type: ignore[attr-defined]
            total = float(((target - target.mean()) ** 2).sum())
            return 1.0 - float((residual**2).sum()) / total if total else 0.0

    def check_is_fitted(estimator: object) -> None:
        if not hasattr(estimator, "coef_"):
            raise NotFittedError(
                f"This {type(estimator).__name__} instance is not fitted yet; call fit first."
            )

    def column_or_1d(y: object, *, warn: bool = False) -> np.ndarray:
        array = np.asarray(y)
        return array.ravel() if array.ndim == 2 and array.shape[1] == 1 else array

    def check_array(array: object, **_: object) -> np.ndarray:
        return _as_float64(array)

    def validate_data(estimator: Any, X: object, *, reset: bool = True, **_: object) -> np.ndarray:
        array = _as_float64(X)
        if reset:
            estimator.n_features_in_ = array.shape[1] if array.ndim == 2 else 0
        elif array.ndim == 2 and array.shape[1] != estimator.n_features_in_:
            raise ValueError(
                f"X has {array.shape[1]} features, but {type(estimator).__name__} "
                f"is expecting {estimator.n_features_in_} features as input."
            )
        return array


def _as_float64(a: object) -> np.ndarray:
    """Numbers (float32, integers) widen to binary64 exactly (SPEC §7.1); anything else is a TypeError."""
    from regpen.errors import InvalidDtypeError

    array = np.asarray(a)
    if array.dtype.kind not in "fiu" or array.dtype == np.float16:
        raise InvalidDtypeError(
            f"training data must be numbers (float64, float32 or integers), got {array.dtype}"
        )
    return array.astype(np.float64)


def _target(y: object) -> np.ndarray:
    """y as scikit-learn reads it: numbers (object arrays of numbers too) to binary64; a single
    column (n, 1) is flattened with a DataConversionWarning."""
    target = check_array(y, ensure_2d=False, dtype=np.float64, ensure_all_finite=False, ensure_min_samples=0)
    if target.ndim == 2 and target.shape[1] == 1:
        target = column_or_1d(target, warn=True)
    return target


class PenalizedRegression(RegressorMixin, BaseEstimator):
    """Least squares with a regpen penalty: minimizes `(1/n)·‖y − Xw − b‖² + penalty(w)`.

    Parameters
    ----------
    penalty : a regpen Penalty (`L1`, `L2`, `ElasticNet`, with optional `penalty_factor`); None
        means `L1(1.0)`. `regpen.from_sklearn(alpha, l1_ratio)` gives scikit-learn's
        Lasso/ElasticNet minimizer.
    solver : "cd" (cyclic coordinate descent, as scikit-learn and glmnet), "fista" or "ista".
    fit_intercept : centre X and y and fit an unpenalized intercept.
    max_iter : iterations (coordinate sweeps, or proximal steps) before giving up with a warning.
    tol : the fit stops when the duality gap is at most `tol` times twice the null model's mean
        squared error (scikit-learn's rule in regpen's scale).

    Attributes: `coef_`, `intercept_`, `n_iter_`, `dual_gap_`, `converged_`, `n_features_in_`.
    """

    def __init__(
        self,
        penalty: Penalty | None = None,
        *,
        solver: str = "cd",
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
    ) -> None:
        self.penalty = penalty
        self.solver = solver
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def _penalty(self) -> Penalty:
        penalty = L1(1.0) if self.penalty is None else self.penalty
        if not isinstance(penalty, Penalty):
            raise InvalidArgumentError(f"penalty must be a regpen Penalty or None, got {penalty!r}")
        return penalty

    def _solver(self) -> str:
        return self.solver

    def fit(self, X: object, y: object, coef_init: np.ndarray | None = None) -> PenalizedRegression:
        """Train on X (n_samples, n_features) and y (n_samples,); `coef_init` warm-starts."""
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        penalty = self._penalty()
        features = validate_data(
            self, X, dtype=np.float64, ensure_all_finite=False, ensure_min_samples=0, ensure_min_features=0
        )
        target = _target(y)
        fit = _training.train(
            features,
            target,
            penalty,
            solver=self._solver(),
            fit_intercept=bool(self.fit_intercept),
            max_iter=self.max_iter,
            tol=self.tol,
            coef_init=coef_init,
        )
        self._store(fit)
        return self

    def _store(self, fit: _training.Fit) -> None:
        self.coef_ = fit.coef
        self.intercept_ = fit.intercept
        self.n_iter_ = fit.n_iter
        self.dual_gap_ = fit.gap
        self.converged_ = fit.converged
        if not fit.converged:
            warnings.warn(_not_converged(fit), ConvergenceWarning, stacklevel=3)

    def predict(self, X: object) -> np.ndarray:
        """RN64(b + Σ_j x_j·w_j) for every row (SPEC §7.7)."""
        check_is_fitted(self)
        features = validate_data(self, X, dtype=np.float64, reset=False)
        intercept = np.full(features.shape[0], self.intercept_)
        return _training._rows_rounded(intercept, features, -self.coef_)

    def objective(self, X: object, y: object) -> float:
        """regpen's objective (MSE + penalty) at the fitted weights, as `compute_loss` rounds it."""
        from regpen.loss import compute_loss

        return float(compute_loss(_as_float64(y), self.predict(X), self.coef_, self._penalty()))

    # The seed's sequence diagram calls it trainModel.
    train_model = fit


class LinearModel(PenalizedRegression):
    """regpen 1.0's name, kept working: `method=` ("ista"/"fista"/"cd") is the old name of `solver`."""

    def __init__(
        self,
        penalty: Penalty | None = None,
        *,
        method: str | None = None,
        solver: str = "cd",
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
    ) -> None:
        super().__init__(penalty, solver=solver, fit_intercept=fit_intercept, max_iter=max_iter, tol=tol)
        self.method = method

    def _solver(self) -> str:
        return self.method or self.solver


def _not_converged(fit: _training.Fit) -> str:
    ratio = fit.gap / fit.tau if fit.tau > 0 else math.inf
    return (
        f"not converged after {fit.n_iter} iterations: duality gap {fit.gap:.3e} is {ratio:.3g} times the "
        f"tolerance {fit.tau:.3e}; raise max_iter, loosen tol, or standardize the features"
    )


# ---------------------------------------------------------------- the regularization path (SPEC §7.8)


@dataclass(frozen=True)
class RegularizationPath:
    """Coefficients for a sequence of penalty strengths (one row per strength)."""

    strengths: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    n_iters: np.ndarray
    gaps: np.ndarray

    def n_nonzero(self) -> np.ndarray:
        return np.count_nonzero(self.coefs, axis=1)


def lambda_max(
    x: object,
    y: object,
    make_penalty: Callable[[float], Penalty] | None = None,
    *,
    fit_intercept: bool = True,
) -> float:
    """The smallest strength s at which `make_penalty(s)` makes every penalized coefficient 0.

    RU64(max_j 2·|Σ_i Xc_ij·yc_i| / (n·f_j·c1)), c1 the L1 part of `make_penalty(1)` (SPEC §7.8)."""
    features, targets = _as_float64(x), _as_float64(y)
    unit = (make_penalty or L1)(1.0)
    _training.validate_data(features, targets, unit)
    return _lambda_max(_training.prepare(features, targets, unit, fit_intercept, 0.0), unit)


def _lambda_max(pr: _training.Problem, unit: Penalty) -> float:
    c1, _ = _training._coefficients(unit)
    if c1 == 0:
        raise InvalidArgumentError("a penalty without an L1 part has no lambda_max: give the strengths")
    factors = unit.penalty_factor if unit.penalty_factor is not None else np.ones(pr.xc.shape[1])
    best = Fraction(0)
    for j, f in enumerate(factors.tolist()):
        if f > 0:
            dot = _training._Sum().add(pr.xc[:, j], pr.yc).exact()
            best = max(best, 2 * abs(Fraction(dot)) / (pr.n * Fraction(f) * Fraction(c1)))
    top = _training._round(best)
    # Rounded up, so that w = 0 is optimal at lambda_max itself (the exact value is rarely a float).
    return float(np.nextafter(top, math.inf)) if Fraction(top) < best else top


def geometric_ratio(eps: float, n_strengths: int) -> float:
    """q = RN64(eps^(1/(K−1))), the correctly rounded root, checked by exact powers of midpoints."""
    steps = n_strengths - 1
    q = eps ** (1.0 / steps)
    target = Fraction(eps)
    for _ in range(8):
        below = (Fraction(q) + Fraction(float(np.nextafter(q, 0.0)))) / 2
        above = (Fraction(q) + Fraction(float(np.nextafter(q, 2.0)))) / 2
        if below**steps > target:
            q = float(np.nextafter(q, 0.0))
        elif above**steps < target:
            q = float(np.nextafter(q, 2.0))
        else:
            return q
    raise AssertionError("the root did not settle")  # pragma: no cover - pow is within a few ulps


def _check_grid(n_strengths: int, eps: float) -> None:
    if isinstance(n_strengths, bool) or not isinstance(n_strengths, (int, np.integer)) or n_strengths < 1:
        raise InvalidArgumentError(f"n_strengths must be an integer >= 1, got {n_strengths!r}")
    if not (isinstance(eps, (int, float, np.floating)) and math.isfinite(eps) and 0 < eps < 1):
        raise InvalidLambdaError(f"eps must be in (0, 1), got {eps!r}")


def strength_grid(top: float, n_strengths: int, eps: float) -> np.ndarray:
    """λ_0 = top, λ_k = fl(λ_{k−1} × q): a geometric grid down to about eps·top."""
    _check_grid(n_strengths, eps)
    grid = [top]
    q = geometric_ratio(eps, n_strengths) if n_strengths > 1 else 1.0
    for _ in range(n_strengths - 1):
        grid.append(grid[-1] * q)
    return np.array(grid)


def regularization_path(
    x: object,
    y: object,
    make_penalty: Callable[[float], Penalty] | None = None,
    strengths: Sequence[float] | np.ndarray | None = None,
    *,
    n_strengths: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    solver: str = "cd",
    max_iter: int = 1000,
    tol: float = 1e-4,
    progress: bool = False,
    ratio: float | None = None,
) -> RegularizationPath:
    """Fit `make_penalty(s)` (default `L1`) for each strength s in order, each warm-started from the
    previous fit; the data are centred once. Default strengths: `lambda_max` down to `eps` times it.
    `ratio` is regpen 1.0's name for `eps`."""
    # SPEC §7.8's check order: types, options, the grid, the data, then lambda_max.
    features, targets = _as_float64(x), _as_float64(y)
    build = make_penalty or L1
    _training.validate_options(solver, max_iter, tol)
    eps = eps if ratio is None else ratio
    if strengths is None:
        _check_grid(n_strengths, eps)
    else:
        values = np.asarray(strengths, dtype=np.float64).ravel()
        if values.size == 0 or not np.all(np.isfinite(values) & (values > 0)):
            raise InvalidLambdaError(f"strengths must be finite and > 0, got {values!r}")
    unit = build(1.0)
    _training.validate_data(features, targets, unit)
    native = _training.native_eligible(unit)
    base = None if native else _training.prepare(features, targets, unit, fit_intercept, tol)
    if strengths is None:
        top = (
            _native_lambda_max(features, targets, unit, fit_intercept)
            if base is None
            else _lambda_max(base, unit)
        )
        if top == 0:
            raise InvalidLambdaError("lambda_max is 0 (y is constant or orthogonal to X): give the strengths")
        values = strength_grid(top, n_strengths, eps)
    if native and all(_is_scaled(build(s), unit, s) for s in values.tolist()):
        coefs_n, intercepts_n, iters_n, gaps_n, converged_n = _training._native_ext._path(  # type: ignore[union-attr]
            unit.kind,
            unit.l1,
            unit.l2,
            unit.penalty_factor,
            features,
            targets,
            values,
            solver,
            fit_intercept,
            int(max_iter),
            float(tol),
        )
        for strength, k, gap, ok in zip(values.tolist(), iters_n, gaps_n, converged_n, strict=True):
            if not ok:
                message = (
                    f"strength {strength:.6g}: not converged after {k} iterations: duality gap {gap:.3e}; "
                    "raise max_iter, loosen tol, or standardize the features"
                )
                warnings.warn(message, ConvergenceWarning, stacklevel=2)
        return RegularizationPath(values, coefs_n, intercepts_n, iters_n, gaps_n)
    if base is None:
        base = _training.prepare(features, targets, unit, fit_intercept, tol)
    coefs, intercepts, iters, gaps = [], [], [], []
    warm: np.ndarray | None = None
    for strength in _progress(values.tolist(), progress, "regularization path"):
        penalty = build(float(strength))
        problem = _training.retarget(base, penalty)
        options = {"solver": solver, "fit_intercept": fit_intercept, "max_iter": max_iter, "tol": tol}
        fit = _training.train(features, targets, penalty, coef_init=warm, problem=problem, **options)
        if not fit.converged:
            warnings.warn(
                f"strength {strength:.6g}: " + _not_converged(fit), ConvergenceWarning, stacklevel=2
            )
        warm = fit.coef
        coefs.append(fit.coef.copy())
        intercepts.append(fit.intercept)
        iters.append(fit.n_iter)
        gaps.append(fit.gap)
    return RegularizationPath(values, np.array(coefs), np.array(intercepts), np.array(iters), np.array(gaps))


def _native_lambda_max(x: np.ndarray, y: np.ndarray, unit: Penalty, fit_intercept: bool) -> float:
    c1, _ = _training._coefficients(unit)
    if c1 == 0:
        raise InvalidArgumentError("a penalty without an L1 part has no lambda_max: give the strengths")
    ext = _training._native_ext
    return float(ext._lambda_max(unit.kind, unit.l1, unit.l2, unit.penalty_factor, x, y, fit_intercept))  # type: ignore[union-attr]


def _is_scaled(penalty: Penalty, unit: Penalty, s: float) -> bool:
    """True when penalty is P(s) of the scaled family of unit (SPEC §7.8): the native path's family."""
    if type(penalty) is not type(unit) or penalty.l1 != s * unit.l1 or penalty.l2 != s * unit.l2:
        return False
    f, g = penalty.penalty_factor, unit.penalty_factor
    return (f is None and g is None) or (f is not None and g is not None and np.array_equal(f, g))


def _progress(items: Iterable[float], enabled: bool, description: str) -> Iterable[float]:
    """A tqdm progress bar when asked for and installed; the plain iterable otherwise."""
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, desc=description, unit="fit", leave=False)


__all__ = [
    "HAVE_SKLEARN",
    "ConvergenceWarning",
    "LinearModel",
    "PenalizedRegression",
    "RegularizationPath",
    "lambda_max",
    "regularization_path",
]
