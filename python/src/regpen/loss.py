"""The loss of the seed's UML (`LossFunction.computeLoss`): mean squared error plus a penalty (SPEC §3)."""

from __future__ import annotations

import numpy as np

from regpen import _exact
from regpen._arrays import as_float_array
from regpen.errors import EmptyInputError, InvalidDtypeError, ShapeMismatchError
from regpen.penalties import L1, Penalty


def compute_loss(
    true_values: object, predicted_values: object, weights: object, penalty: Penalty | None = None
) -> np.floating:
    """mean((y_true − y_pred)²) + penalty.value(weights), every reduction correctly rounded.

    Without a penalty the result is the mean squared error alone.
    """
    y_true = as_float_array(true_values, "true_values")
    y_pred = as_float_array(predicted_values, "predicted_values")
    w = as_float_array(weights, "weights")
    if len({y_true.dtype, y_pred.dtype, w.dtype}) != 1:
        raise InvalidDtypeError(
            "true_values, predicted_values and weights must share one dtype, "
            f"got {y_true.dtype}, {y_pred.dtype}, {w.dtype}"
        )
    if y_true.shape != y_pred.shape:
        raise ShapeMismatchError(f"true_values {y_true.shape} and predicted_values {y_pred.shape} differ")
    if penalty is not None:
        penalty._factor_for(w)  # shape errors come before empty_input (SPEC §4)
    if y_true.size == 0:
        raise EmptyInputError("the mean squared error of no samples is undefined")
    dtype = y_true.dtype.type
    with np.errstate(all="ignore"):
        residuals = y_true - y_pred
        mse = _exact.sum_squares(residuals, None) / dtype(y_true.size)
        if penalty is None:
            return mse
        return mse + penalty.value(w)


def l1_regularization(weights: object, lambda_: float) -> np.floating:
    """The seed's helper, `lambda_ * Σ|weights|`, here correctly rounded: L1(lambda_).value(weights)."""
    return L1(lambda_).value(weights)
