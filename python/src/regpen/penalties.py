"""The penalties: L1, L2 and Elastic Net, exactly as conformance/SPEC.md §1 and §3 define them.

This is the reference backend: every other language is read against it, so each step below is the
spec's named IEEE operation, done by numpy in the input's own dtype (float32 stays float32).
"""

from __future__ import annotations

import json
import math
import reprlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Sequence
from dataclasses import FrozenInstanceError
from typing import Any, ClassVar

import numpy as np

from regpen import _exact
from regpen._arrays import FloatArray, as_float_array, as_parameter, flat64, real_to_binary64
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
    """The factors as a read-only float64 array over immutable bytes, so no one can write them."""
    if values is None:
        return None
    factor = as_float_array(values, "penalty_factor")
    if factor.ndim != 1:
        raise InvalidPenaltyFactorError(
            "penalty_factor must be one-dimensional (one factor per weight, in C order), "
            f"got shape {factor.shape}"
        )
    bad = np.flatnonzero(~(np.isfinite(factor) & (factor >= 0)))
    if bad.size:
        raise InvalidPenaltyFactorError(
            f"penalty_factor must be finite and >= 0, got {float(factor[bad[0]])!r} at index {int(bad[0])}"
        )
    normalized = np.asarray(factor, dtype=np.float64) + 0.0  # a new array, with -0 stored as +0
    return np.frombuffer(normalized.tobytes(), dtype=np.float64)


def _in_dtype(x: float, dtype: np.dtype) -> float:
    """x rounded once to the working format (RN32 may give +inf: not an error, SPEC decision A)."""
    with np.errstate(over="ignore"):
        return float(dtype.type(x))


def _canonical(result: FloatArray | np.floating) -> FloatArray:
    """A fresh result as an array (numpy gives a 0-d input's result as a scalar) with every NaN the
    positive quiet NaN (SPEC decision B)."""
    array = np.asarray(result)
    array[np.isnan(array)] = np.nan
    return array


class Penalty(ABC):
    """A regularization penalty: an immutable value, validated in its constructor (the only way to
    build one). Subclasses fix which of the two parts are present: the absolute part
    l1·Σ f·|w| and the squared part l2·Σ f·w²."""

    __slots__ = ("l1", "l2", "penalty_factor")
    kind: ClassVar[str]
    _absolute: ClassVar[bool]  # is the absolute part present (even with strength 0)?
    _squared: ClassVar[bool]  # is the squared part present?
    l1: float  # strength of the absolute part (0.0 when absent)
    l2: float  # strength of the squared part (0.0 when absent)
    penalty_factor: FloatArray | None  # read-only float64, one factor per weight, or None

    def _init(self, l1: float, l2: float, penalty_factor: object | None) -> None:
        object.__setattr__(self, "l1", l1)
        object.__setattr__(self, "l2", l2)
        object.__setattr__(self, "penalty_factor", _factor(penalty_factor))

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to {name!r}: a penalty is immutable; build a new one")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete {name!r}: a penalty is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return from_config, (self.get_config(),)  # copy and pickle rebuild through the constructor

    # ---- the operations

    def value(self, w: object) -> np.floating:
        """The penalty of the weights `w` (all elements, any shape): the exact value rounded once,
        a numpy scalar of w's dtype."""
        weights = as_float_array(w, "w")
        factor = self._factor_for(weights)
        flat = flat64(weights)  # C order, as the factors are
        flat_factor = None if factor is None else flat64(factor)
        total = _exact.penalty_sum(flat, flat_factor, *self._coefficients(weights.dtype))
        return _exact.rounded(total, weights.dtype)

    def gradient(self, w: object) -> FloatArray:
        """The (sub)gradient at `w`, of w's shape: 0 where an L1 weight is ±0."""
        weights = as_float_array(w, "w")
        with np.errstate(all="ignore"):  # IEEE results (inf, NaN) are the spec's answers, not warnings
            factor = self._factor_for(weights)
            return _canonical(self._gradient(weights, 1 if factor is None else factor))

    def prox(self, w: object, step: float) -> FloatArray:
        """argmin_x step·penalty(x) + ½‖x − w‖²: soft threshold for L1, shrink for L2."""
        weights = as_float_array(w, "w")
        step_value = as_parameter(step, "step")
        if not (math.isfinite(step_value) and step_value >= 0):
            raise InvalidStepError(f"step must be finite and >= 0, got {step_value!r}")
        with np.errstate(all="ignore"):
            factor = self._factor_for(weights)
            step_in_dtype = weights.dtype.type(step_value)
            return _canonical(self._prox(weights, step_in_dtype, 1 if factor is None else factor))

    # ---- parts shared by the subclasses

    def _coefficients(self, dtype: np.dtype) -> tuple[float | None, float | None]:
        """(c1, c2) in the working format; None for a part the penalty does not have."""
        return (
            _in_dtype(self.l1, dtype) if self._absolute else None,
            _in_dtype(self.l2, dtype) if self._squared else None,
        )

    def _factor_for(self, w: FloatArray) -> FloatArray | None:
        """The factors in w's dtype (rounded once for float32) and shape (C order), checked
        against w's size."""
        if self.penalty_factor is None:
            return None
        if self.penalty_factor.size != w.size:
            raise ShapeMismatchError(
                f"penalty_factor has {self.penalty_factor.size} elements but w has {w.size}; "
                "there must be one factor per weight"
            )
        with np.errstate(over="ignore"):
            return self.penalty_factor.astype(w.dtype).reshape(w.shape)

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

    # ---- configuration and identity

    def get_config(self) -> dict[str, Any]:
        """A JSON-ready dict in the spirit of Keras' get_config (SPEC §3, "Configuration")."""
        config: dict[str, Any] = {"type": self.kind, **self._parameters()}
        if self.penalty_factor is not None:
            config["penalty_factor"] = self.penalty_factor.tolist()
        return config

    def to_json(self) -> str:
        """The configuration as JSON text; Python's float repr reads back to the same bits."""
        return json.dumps(self.get_config())

    def _key(self) -> tuple[object, ...]:
        # Parameters are never NaN and -0 is stored as +0, so equal values have equal bytes.
        factor = None if self.penalty_factor is None else self.penalty_factor.tobytes()
        return (self.kind, self.l1, self.l2, factor)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Penalty):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._parameters().items())
        if self.penalty_factor is not None:
            args += f", penalty_factor={self.penalty_factor.tolist()!r}"
        return f"{type(self).__name__}({args})"

    @abstractmethod
    def _parameters(self) -> dict[str, float]: ...

    @abstractmethod
    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray: ...

    @abstractmethod
    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray: ...


class L1(Penalty):
    """lam·Σ f_i·|w_i| (Lasso): drives weights to exactly zero."""

    __slots__ = ()
    kind = "l1"
    _absolute, _squared = True, False

    def __init__(self, lam: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None) -> None:
        self._init(_strength(lam, "lam"), 0.0, penalty_factor)

    @property
    def lam(self) -> float:
        return self.l1

    def _parameters(self) -> dict[str, float]:
        return {"lam": self.lam}

    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        return self._l1_gradient(w.dtype.type(self.lam), w, factor)

    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray:
        return self._soft_threshold(w, (step * w.dtype.type(self.lam)) * factor)


class L2(Penalty):
    """lam·Σ f_i·w_i² (ridge, without the ½): shrinks every weight in proportion."""

    __slots__ = ()
    kind = "l2"
    _absolute, _squared = False, True

    def __init__(self, lam: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None) -> None:
        self._init(0.0, _strength(lam, "lam"), penalty_factor)

    @property
    def lam(self) -> float:
        return self.l2

    def _parameters(self) -> dict[str, float]:
        return {"lam": self.lam}

    def _gradient(self, w: FloatArray, factor: FloatArray | int) -> FloatArray:
        return self._l2_gradient(w.dtype.type(self.lam), w, factor)

    def _prox(self, w: FloatArray, step: np.floating, factor: FloatArray | int) -> FloatArray:
        return self._shrink(w, w.dtype.type(self.lam), step, factor)


class ElasticNet(Penalty):
    """l1·Σ f_i·|w_i| + l2·Σ f_i·w_i²: sparsity from the first part, grouping from the second."""

    __slots__ = ()
    kind = "elastic_net"
    _absolute, _squared = True, True

    def __init__(
        self, l1: float, l2: float, *, penalty_factor: Sequence[float] | np.ndarray | None = None
    ) -> None:
        self._init(_strength(l1, "l1"), _strength(l2, "l2"), penalty_factor)

    def _parameters(self) -> dict[str, float]:
        return {"l1": self.l1, "l2": self.l2}

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


def _show(value: object) -> str:
    """A short repr for messages: bounded in length and depth (a 100000-deep list included)."""
    try:
        return reprlib.repr(value)
    except (ValueError, RecursionError):  # e.g. an int beyond Python's int-to-text digit limit
        return f"<{type(value).__name__}>"


def _config_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidConfigError(f"{name} must be a JSON number, got {_show(value)}")
    return real_to_binary64(value)  # a JSON integer beyond binary64 rounds to ±inf (SPEC decision D)


def from_config(config: dict[str, Any]) -> Penalty:
    """The penalty a `get_config()` dict (from any regpen language) describes."""
    if not isinstance(config, dict):
        raise InvalidConfigError(f"a penalty configuration must be a JSON object, got {_show(config)}")
    kind = config.get("type")
    if not isinstance(kind, str) or kind not in _CONSTRUCTORS:
        raise InvalidConfigError(f"type must be one of {sorted(_CONSTRUCTORS)}, got {_show(kind)}")
    cls, names = _CONSTRUCTORS[kind]
    keys = set(config) - {"type"}
    if not set(names) <= keys or not keys <= {*names, "penalty_factor"}:
        raise InvalidConfigError(
            f"{kind} takes the keys {list(names)} and optionally penalty_factor, "
            f"got {_show(sorted(map(str, keys)))}"
        )
    params = [_config_number(config[name], name) for name in names]
    factor = config.get("penalty_factor")
    if "penalty_factor" in config:
        if not isinstance(factor, list):
            raise InvalidConfigError(f"penalty_factor must be a JSON array of numbers, got {_show(factor)}")
        factor = [_config_number(x, "penalty_factor element") for x in factor]
    return cls(*params, penalty_factor=factor)


def _reject_constant(name: str) -> float:
    raise InvalidConfigError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    config = dict(pairs)
    if len(config) != len(pairs):
        duplicates = [key for key, count in Counter(key for key, _ in pairs).items() if count > 1]
        raise InvalidConfigError(
            f"the key {_show(duplicates[0])} appears more than once; JSON keys must be unique"
        )
    return config


def from_json(text: str | bytes) -> Penalty:
    """The penalty that JSON text written by `to_json` (in any regpen language) describes.

    Every number, integers of any length included, is read by correctly rounded decimal-to-binary64
    conversion of its text (`float`, which has no digit limit); text that cannot be read, however
    deep or large, is an `invalid_config` error."""
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidConfigError(f"a penalty configuration must be JSON text, got {_show(text)}")
    try:
        config = json.loads(
            text, parse_constant=_reject_constant, parse_int=float, object_pairs_hook=_unique_keys
        )
    except InvalidConfigError:
        raise
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8/16/32
        raise InvalidConfigError(f"the configuration is not JSON: {error}") from None
    except RecursionError:
        raise InvalidConfigError("the configuration is nested too deeply to read") from None
    except MemoryError:
        raise InvalidConfigError("the configuration is too large to read") from None
    return from_config(config)
