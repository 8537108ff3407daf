"""Input coercion shared by every operation: numpy's dtype rules, made strict where rounding would hide."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from regpen.errors import InvalidDtypeError

FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]
SUPPORTED = (np.dtype(np.float64), np.dtype(np.float32))


def as_float_array(values: object, name: str) -> FloatArray:
    """float32/float64 arrays pass through (strided and read-only are fine); Python numbers and
    sequences of them become float64; every other element type is an `invalid_dtype` error."""
    if isinstance(values, np.ndarray | np.generic):
        array = np.asarray(values)
        if array.dtype not in SUPPORTED:
            raise InvalidDtypeError(f"{name} has dtype {array.dtype}; regpen takes float32 or float64")
        return array
    if isinstance(values, numbers.Real) and not isinstance(values, bool):
        return np.asarray(float(values), dtype=np.float64)
    if isinstance(values, list | tuple):
        if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in _flatten(values)):
            raise InvalidDtypeError(f"{name} must contain only real numbers")
        return np.asarray(values, dtype=np.float64)
    raise InvalidDtypeError(
        f"{name} must be a float32/float64 array or a sequence of numbers, not {type(values).__name__}"
    )


def _flatten(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    flat: list[Any] = []
    for v in values:
        if isinstance(v, list | tuple):
            flat.extend(_flatten(v))
        else:
            flat.append(v)
    return flat


def as_parameter(value: object, name: str) -> float:
    """A penalty parameter as a binary64 Python float (type errors only; ranges are checked by the caller)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidDtypeError(f"{name} must be a real number, not {type(value).__name__}")
    return float(value)
