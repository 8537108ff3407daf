"""Penalties from other libraries' conventions (SPEC §3, "Conversions"); each step as the table says.

regpen's objective is MSE + penalty. scikit-learn and glmnet halve their data term, so their
penalties are doubled here: the regpen objective is twice theirs and has the same minimizer.
"""

from __future__ import annotations

import math

from regpen._arrays import as_parameter
from regpen.errors import InvalidLambdaError
from regpen.penalties import L2, ElasticNet


def _mixing(strength: float, ratio: float, names: tuple[str, str]) -> ElasticNet:
    s = as_parameter(strength, names[0])
    r = as_parameter(ratio, names[1])
    if not (math.isfinite(s) and s >= 0):
        raise InvalidLambdaError(f"{names[0]} must be finite and >= 0, got {s!r}")
    if not (math.isfinite(r) and 0 <= r <= 1):
        raise InvalidLambdaError(f"{names[1]} must lie in [0, 1], got {r!r}")
    return ElasticNet((2.0 * s) * r, s * (1.0 - r))


def from_sklearn(alpha: float, l1_ratio: float = 1.0) -> ElasticNet:
    """scikit-learn's ElasticNet(alpha, l1_ratio) (Lasso is l1_ratio = 1): objective scale 2."""
    return _mixing(alpha, l1_ratio, ("alpha", "l1_ratio"))


def from_glmnet(lambda_: float, alpha: float = 1.0) -> ElasticNet:
    """glmnet's gaussian family with lambda and mixing alpha (1 = lasso): objective scale 2."""
    return _mixing(lambda_, alpha, ("lambda", "alpha"))


def from_keras(l1: float = 0.0, l2: float = 0.0) -> ElasticNet:
    """Keras' L1L2(l1, l2) regularizer, which already uses regpen's form: scale 1."""
    return ElasticNet(l1, l2)


def from_torch_weight_decay(weight_decay: float) -> L2:
    """PyTorch's SGD weight_decay adds weight_decay·w to the gradient: the gradient of L2(weight_decay/2)."""
    wd = as_parameter(weight_decay, "weight_decay")
    if not (math.isfinite(wd) and wd >= 0):
        raise InvalidLambdaError(f"weight_decay must be finite and >= 0, got {wd!r}")
    return L2(wd / 2.0)
