"""A linear model trained by proximal gradient (ISTA or FISTA), and the regularization path.

The sequence diagram of the seed: `Model.trainModel` asks the penalty for the loss while it fits.
Here the smooth part is the mean squared error, the penalty enters through its `prox`, and an
unpenalized intercept is an extra column whose penalty factor is 0 (glmnet's `penalty.factor`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from regpen.errors import InvalidArgumentError, InvalidDtypeError, ShapeMismatchError
from regpen.loss import compute_loss
from regpen.penalties import Penalty, from_config

METHODS = ("ista", "fista")


def _design(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    features = np.asarray(x)
    targets = np.asarray(y)
    if features.dtype not in (np.float32, np.float64) or targets.dtype != features.dtype:
        raise InvalidDtypeError("X and y must be float32 or float64 arrays of the same dtype")
    if features.ndim != 2 or targets.ndim != 1 or features.shape[0] != targets.shape[0]:
        raise ShapeMismatchError(f"X must be (n, p) and y (n,), got {features.shape} and {targets.shape}")
    return features, targets


def _with_unpenalized_intercept(penalty: Penalty, n_features: int) -> Penalty:
    config = penalty.get_config()
    factor = config.get("penalty_factor", [1.0] * n_features)
    if len(factor) != n_features:
        raise ShapeMismatchError(f"{len(factor)} penalty factors for {n_features} features")
    config["penalty_factor"] = [*factor, 0.0]
    return from_config(config)


@dataclass
class LinearModel:
    """Least squares plus a regpen penalty: minimizes `compute_loss(y, X @ w + b, w, penalty)`."""

    penalty: Penalty
    method: str = "fista"
    max_iter: int = 5000
    tol: float = 1e-10  # stop when the objective changes by less than tol relative to its size
    fit_intercept: bool = True
    coef_: np.ndarray = field(init=False, repr=False)
    intercept_: float = field(init=False, default=0.0)
    n_iter_: int = field(init=False, default=0)
    loss_history_: list[float] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidArgumentError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.max_iter < 1 or not (math.isfinite(self.tol) and self.tol >= 0):
            raise InvalidArgumentError("max_iter must be >= 1 and tol finite and >= 0")

    def fit(self, x: object, y: object, warm_start: np.ndarray | None = None) -> LinearModel:
        features, targets = _design(x, y)
        n, p = features.shape
        penalty = self.penalty
        if self.fit_intercept:
            features = np.hstack([features, np.ones((n, 1), dtype=features.dtype)])
            penalty = _with_unpenalized_intercept(penalty, p)
        # The gradient of the MSE is (2/n)·Xᵀ(Xw − y); its Lipschitz constant is (2/n)·σ_max(X)².
        lipschitz = 2.0 / n * float(np.linalg.norm(features, 2)) ** 2
        step = 1.0 / lipschitz if lipschitz > 0 else 1.0
        w = np.zeros(features.shape[1], dtype=features.dtype)
        if warm_start is not None:
            w[: warm_start.size] = warm_start
        momentum_point, t = w.copy(), 1.0
        self.loss_history_ = [float(compute_loss(targets, features @ w, w, penalty))]
        for iteration in range(1, self.max_iter + 1):
            base = momentum_point if self.method == "fista" else w
            gradient = (2.0 / n) * (features.T @ (features @ base - targets))
            w_next = penalty.prox(base - step * gradient, step)
            if self.method == "fista":
                t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
                momentum_point = w_next + ((t - 1) / t_next) * (w_next - w)
                t = t_next
            w = w_next
            objective = float(compute_loss(targets, features @ w, w, penalty))
            previous = self.loss_history_[-1]
            self.loss_history_.append(objective)
            self.n_iter_ = iteration
            if abs(previous - objective) <= self.tol * max(1.0, abs(objective)):
                break
        self.coef_ = w[:p].copy()
        self.intercept_ = float(w[p]) if self.fit_intercept else 0.0
        return self

    def predict(self, x: object) -> np.ndarray:
        features = np.asarray(x)
        return features @ self.coef_ + self.intercept_

    def objective(self, x: object, y: object) -> float:
        """The objective the fit minimizes, at the fitted weights."""
        features, targets = _design(x, y)
        return float(compute_loss(targets, self.predict(features), self.coef_, self.penalty))

    # The seed's sequence diagram calls it trainModel.
    train_model = fit


@dataclass(frozen=True)
class RegularizationPath:
    """Coefficients for a decreasing sequence of penalty strengths (one row per strength)."""

    strengths: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    n_iters: np.ndarray

    def n_nonzero(self) -> np.ndarray:
        return np.count_nonzero(self.coefs, axis=1)


def lambda_max(x: object, y: object) -> float:
    """The smallest L1 strength for which every coefficient is 0 (with an unpenalized intercept)."""
    features, targets = _design(x, y)
    centered = features - features.mean(axis=0)
    # At w = 0 the optimal intercept is mean(y); w = 0 stays optimal while |∇MSE| <= lam everywhere.
    return float(np.max(np.abs(2.0 / len(targets) * centered.T @ (targets - targets.mean())), initial=0.0))


def regularization_path(
    x: object,
    y: object,
    make_penalty: type[Penalty] | None = None,
    strengths: Sequence[float] | None = None,
    *,
    n_strengths: int = 50,
    ratio: float = 1e-3,
    progress: bool = True,
    **model_options: object,
) -> RegularizationPath:
    """Fit along a path of strengths, largest first, each fit warm-started from the previous one.

    `make_penalty` builds the penalty from one strength (default `L1`); the default strengths run
    geometrically from `lambda_max` down to `ratio · lambda_max`, as glmnet does.
    """
    from regpen.penalties import L1

    features, targets = _design(x, y)
    build = make_penalty or L1
    if strengths is None:
        top = lambda_max(features, targets) or 1.0
        strengths = np.geomspace(top, top * ratio, n_strengths)
    values = np.asarray(sorted(strengths, reverse=True), dtype=np.float64)
    coefs, intercepts, iters = [], [], []
    warm: np.ndarray | None = None
    for strength in _progress(values, progress, "regularization path"):
        model = LinearModel(build(float(strength)), **model_options).fit(features, targets, warm_start=warm)  # type: ignore[arg-type]
        warm = np.append(model.coef_, model.intercept_)
        coefs.append(model.coef_)
        intercepts.append(model.intercept_)
        iters.append(model.n_iter_)
    return RegularizationPath(values, np.array(coefs), np.array(intercepts), np.array(iters))


def _progress(items: Iterable[float], enabled: bool, description: str) -> Iterable[float]:
    """A tqdm progress bar when asked for and installed; the plain iterable otherwise."""
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return items
    return tqdm(items, desc=description, unit="fit", leave=False)
