"""The penalties: L1, L2 and Elastic Net, exactly as conformance/SPEC.md §1 and §3 define them.

This is the reference backend: every other language is read against it, so each step below is the
spec's named IEEE operation, done by numpy in the input's own dtype (float32 stays float32).
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from regpen import _exact
from regpen._arrays import FloatArray, as_float_array, as_parameter
from regpen.errors import (
    InvalidConfigError,
    InvalidLambdaError,
    InvalidPenaltyFactorError,
    InvalidStepError,
    ShapeMismatchError,
)


def _strength(value: object, name: str) -> float:
    x = as_parameter(value, name)
    if not (math.isfinite(x) and x >= 0):
        raise InvalidLambdaError(f"{name} must be finite and >= 0, got {x!r}")
    return x + 0.0  # stores -0 as +0 (SPEC §1)


def _factor(values: object | None) -> FloatArray | None:
    if values is None:
        return None
    factor = np.array(as_float_array(values, "penalty_factor"), dtype=np.float64).ravel()
    if not (np.isfinite(factor).all() and (factor >= 0).all()):
        raise InvalidPenaltyFactorError("penalty factors must be finite and >= 0")
    factor += 0.0  # stores -0 as +0
    factor.setflags(write=False)
    return factor


class Penalty(ABC):
    """A regularization penalty. Subclasses fix which of the two parts (l1, l2) are present."""

    kind: ClassVar[str]
    l1: float  # strength of the absolute part (0.0 when absent)
    l2: float  # strength of the squared part (0.0 when absent)
    penalty_factor: FloatArray | None

    # ---- the operations

    def value(self, w: object) -> np.floating:
        """The penalty of the weights `w`, correctly rounded (a numpy scalar of w's dtype)."""
        weights = as_float_array(w, "w")
        with np.errstate(all="ignore"):  # IEEE results (inf, NaN) are the spec's answers, not warnings
            return self._value(weights, self._factor_for(weights))

    def gradient(self, w: object) -> FloatArray:
        """The (sub)gradient at `w`: 0 where an L1 weight is ±0."""
        weights = as_float_array(w, "w")
        with np.errstate(all="ignore"):
            factor = self._factor_for(weights)
            return self._gradient(weights, 1 if factor is None else factor)

    def prox(self, w: object, step: float) -> FloatArray:
        """argmin_x step·penalty(x) + ½‖x − w‖²: soft threshold for L1, shrink for L2."""
        weights = as_float_array(w, "w")
        step_value = as_parameter(step, "step")
        if not (math.isfinite(step_value) and step_value >= 0):
            raise InvalidStepError(f"step must be finite and >= 0, got {step_value!r}")
        with np.errstate(all="ignore"):
            factor = self._factor_for(weights)
            step_in_dtype = weights.dtype.type(step_value)
            return self._prox(weights, step_in_dtype, 1 if factor is None else factor)

    # ---- parts shared by the subclasses

    def _factor_for(self, w: FloatArray) -> FloatArray | None:
        """The factors in w's dtype (rounded once for float32), checked against w's length."""
        if self.penalty_factor is None:
            return None
        if self.penalty_factor.size != w.size:
            raise ShapeMismatchError(f"{self.penalty_factor.size} penalty factors for {w.size} weights")
        return self.penalty_factor.astype(w.dtype).reshape(w.shape)

    @staticmethod
    def _l1_value(lam: np.floating, w: FloatArray, factor: FloatArray | None) -> np.floating:
        return lam * _exact.sum_abs(w, factor)

    @staticmethod
    def _l2_value(lam: np.floating, w: FloatArray, factor: FloatArray | None) -> np.floating:
        return lam * _exact.sum_squares(w, factor)

    @staticmethod
    def _l1_gradient(lam: np.floating, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        c = np.broadcast_to(lam * factor, w.shape)
        zero = np.zeros_like(w)
        g = np.where(w > 0, c, np.where(w < 0, -c, zero))
        return np.where(np.isnan(w), w, g)

    @staticmethod
    def _l2_gradient(lam: np.floating, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        c = lam.dtype.type(2) * lam
        return (c * factor) * w

    @staticmethod
    def _soft_threshold(w: FloatArray, threshold: FloatArray | np.floating) -> FloatArray:
        d = np.abs(w) - threshold
        shrunk = np.where(d > 0, np.copysign(d, w), np.copysign(np.zeros_like(w), w))
        return np.where(np.isnan(d), d, shrunk)

    @staticmethod
    def _shrink(w: FloatArray, lam: np.floating, step: np.floating, factor: FloatArray | int) -> FloatArray:
        k = (step * (lam.dtype.type(2) * lam)) * factor
        return w / (lam.dtype.type(1) + k)

    # ---- configuration

    def get_config(self) -> dict[str, Any]:
        """A JSON-ready dict in the spirit of Keras' get_config (SPEC §3, "Configuration")."""
        config: dict[str, Any] = {"type": self.kind, **self._parameters()}
        if self.penalty_factor is not None:
            config["penalty_factor"] = self.penalty_factor.tolist()
        return config

    def to_json(self) -> str:
        """The configuration as JSON text; Python's float repr reads back to the same bits."""
        return json.dumps(self.get_config())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Penalty) or other.kind != self.kind:
            return NotImplemented
        same_factor = (self.penalty_factor is None and other.penalty_factor is None) or (
            self.penalty_factor is not None
            and other.penalty_factor is not None
            and np.array_equal(self.penalty_factor, other.penalty_factor)
        )
        return self._parameters() == other._parameters() and same_factor

    def __hash__(self) -> int:
        return hash((self.kind, tuple(self._parameters().values())))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._parameters().items())
        if self.penalty_factor is not None:
            args += f", penalty_factor={self.penalty_factor.tolist()!r}"
        return f"{type(self).__name__}({args})"

    @abstractmethod
    def _parameters(self) -> dict[str, float]: ...

    @abstractmethod
    def _value(self, w: FloatArray, factor: FloatArray | None) -> np.floating: ...

    @abstractmethod
    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray: ...

    @abstractmethod
    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray: ...


class L1(Penalty):
    """lam·Σ f_i·|w_i| (Lasso): drives weights to exactly zero."""

    kind = "l1"

    def __init__(self, lam: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None) -> None:
        self.lam = self.l1 = _strength(lam, "lam")
        self.l2 = 0.0
        self.penalty_factor = _factor(penalty_factor)

    def _parameters(self) -> dict[str, float]:
        return {"lam": self.lam}

    def _value(self, w: FloatArray, factor: FloatArray | None) -> np.floating:
        return self._l1_value(w.dtype.type(self.lam), w, factor)

    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        return self._l1_gradient(w.dtype.type(self.lam), w, factor)

    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray:
        return self._soft_threshold(w, (step * w.dtype.type(self.lam)) * factor)


class L2(Penalty):
    """lam·Σ f_i·w_i² (ridge, without the ½): shrinks every weight in proportion."""

    kind = "l2"

    def __init__(self, lam: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None) -> None:
        self.lam = self.l2 = _strength(lam, "lam")
        self.l1 = 0.0
        self.penalty_factor = _factor(penalty_factor)

    def _parameters(self) -> dict[str, float]:
        return {"lam": self.lam}

    def _value(self, w: FloatArray, factor: FloatArray | None) -> np.floating:
        return self._l2_value(w.dtype.type(self.lam), w, factor)

    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        return self._l2_gradient(w.dtype.type(self.lam), w, factor)

    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray:
        return self._shrink(w, w.dtype.type(self.lam), step, factor)


class ElasticNet(Penalty):
    """l1·Σ f_i·|w_i| + l2·Σ f_i·w_i²: sparsity from the first part, grouping from the second."""

    kind = "elastic_net"

    def __init__(
        self, l1: float, l2: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None
    ) -> None:
        self.l1 = _strength(l1, "l1")
        self.l2 = _strength(l2, "l2")
        self.penalty_factor = _factor(penalty_factor)

    def _parameters(self) -> dict[str, float]:
        return {"l1": self.l1, "l2": self.l2}

    def _value(self, w: FloatArray, factor: FloatArray | None) -> np.floating:
        dtype = w.dtype.type
        return self._l1_value(dtype(self.l1), w, factor) + self._l2_value(dtype(self.l2), w, factor)

    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        dtype = w.dtype.type
        return self._l1_gradient(dtype(self.l1), w, factor) + self._l2_gradient(dtype(self.l2), w, factor)

    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray:
        dtype = w.dtype.type
        thresholded = self._soft_threshold(w, (step * dtype(self.l1)) * factor)
        return self._shrink(thresholded, dtype(self.l2), step, factor)


_CONSTRUCTORS: dict[str, tuple[type[Penalty], tuple[str, ...]]] = {
    "l1": (L1, ("lam",)),
    "l2": (L2, ("lam",)),
    "elastic_net": (ElasticNet, ("l1", "l2")),
}


def _config_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidConfigError(f"expected a number, got {value!r}")
    try:
        return float(value)
    except OverflowError:  # a JSON integer beyond binary64 rounds to infinity (SPEC §3)
        return math.inf if value > 0 else -math.inf


def from_config(config: dict[str, Any]) -> Penalty:
    """The penalty a `get_config()` dict (from any regpen language) describes."""
    if not isinstance(config, dict) or config.get("type") not in _CONSTRUCTORS:
        raise InvalidConfigError(f"not a regpen penalty configuration: {config!r}")
    cls, names = _CONSTRUCTORS[config["type"]]
    keys = set(config) - {"type"}
    if not set(names) <= keys or not keys <= {*names, "penalty_factor"}:
        raise InvalidConfigError(
            f"{config['type']} takes keys {names} and optionally penalty_factor, got {sorted(keys)}"
        )
    params = [_config_number(config[name]) for name in names]
    factor = config.get("penalty_factor")
    if "penalty_factor" in config:
        if not isinstance(factor, list):
            raise InvalidConfigError("penalty_factor must be a list of numbers")
        factor = [_config_number(x) for x in factor]
    return cls(*params, penalty_factor=factor)


def _reject_constant(name: str) -> float:
    raise InvalidConfigError(f"{name} is not valid JSON")


def from_json(text: str) -> Penalty:
    """The penalty that JSON text written by `to_json` (in any regpen language) describes."""
    try:
        config = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise InvalidConfigError(f"not JSON: {error}") from None
    return from_config(config)
