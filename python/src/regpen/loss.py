"""The loss of the seed's UML (`LossFunction.computeLoss`): mean squared error plus a penalty (SPEC §3)."""

from __future__ import annotations

import numpy as np

from regpen import _exact
from regpen._arrays import as_float_array, flat64
from regpen.errors import EmptyInputError, InvalidDtypeError, ShapeMismatchError
from regpen.penalties import L1, Penalty


def compute_loss(
    true_values: object, predicted_values: object, weights: object, penalty: Penalty | None = None
) -> np.floating:
    """mean((y_true − y_pred)²) + penalty.value(weights): the exact value, residuals unrounded and
    n exact, rounded once to the common dtype (SPEC decision A).

    Without a penalty the result is the mean squared error alone. Checks come in the spec's order:
    dtypes, then the shapes of y_true and y_pred, then n > 0, then the penalty's factors against w.
    """
    y_true = as_float_array(true_values, "true_values")
    y_pred = as_float_array(predicted_values, "predicted_values")
    w = as_float_array(weights, "weights")
    if len({y_true.dtype, y_pred.dtype, w.dtype}) != 1:
        raise InvalidDtypeError(
            "true_values, predicted_values and weights must share one dtype (integers count as float64), "
            f"got {y_true.dtype}, {y_pred.dtype} and {w.dtype}"
        )
    if y_true.shape != y_pred.shape:
        raise ShapeMismatchError(
            f"true_values has shape {y_true.shape} and predicted_values {y_pred.shape}; they must be equal"
        )
    n = y_true.size
    if n == 0:
        raise EmptyInputError(
            "true_values and predicted_values are empty; the mean squared error needs n > 0"
        )
    squares = _exact.residual_sum(flat64(y_true), flat64(y_pred))
    penalty_sum: _exact.Sum = _exact.ZERO
    if penalty is not None:
        factor = penalty._factor_for(w)
        flat_factor = None if factor is None else flat64(factor)
        penalty_sum = _exact.penalty_sum(flat64(w), flat_factor, *penalty._coefficients(w.dtype))
    special = _exact.special(squares, penalty_sum)
    if special is not None:
        return _exact.rounded(special, w.dtype)
    assert isinstance(squares, _exact.Exact) and isinstance(penalty_sum, _exact.Exact)
    # (1/n)·S + V == (S + n·V)/n: one rational, rounded once.
    return _exact.rounded(squares + penalty_sum.scaled(n), w.dtype, den=n)


def l1_regularization(weights: object, lambda_: float) -> np.floating:
    """The seed's helper, `lambda_ * Σ|weights|`, here L1(lambda_).value(weights): the exact value
    rounded once, in the dtype of `weights` (float32 in, float32 out)."""
    return L1(lambda_).value(weights)
