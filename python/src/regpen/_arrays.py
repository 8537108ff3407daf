"""Input coercion shared by every operation: numpy's dtype rules, made strict where rounding would hide.

float32 and float64 arrays are used as they are (any shape, strided, read-only; another byte order
is converted). Integers are numbers, as numpy and scikit-learn treat them: Python ints of any size
and numpy integer arrays become float64, correctly rounded (±inf beyond binary64's range). Booleans,
strings, complex, object arrays, float16, None and ragged sequences are `invalid_dtype` errors.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from regpen.errors import InvalidDtypeError

FloatArray = np.ndarray[Any, np.dtype[np.floating[Any]]]
SUPPORTED = (np.dtype(np.float64), np.dtype(np.float32))
_MAX_DIMENSIONS = 64  # numpy's own limit on the number of dimensions


def as_float_array(values: object, name: str) -> FloatArray:
    """`values` as a float32 or float64 array of native byte order, or an `invalid_dtype` error."""
    if isinstance(values, np.ndarray | np.generic):
        return _from_numpy(np.asarray(values), name)
    if isinstance(values, list | tuple):
        if all(type(v) is float for v in values):  # the common flat list of floats
            return np.array(values, dtype=np.float64)
        return _from_sequence(values, name)
    return np.asarray(_to_binary64(values, name), dtype=np.float64)


def as_parameter(value: object, name: str) -> float:
    """A penalty parameter as a binary64 Python float, correctly rounded (±inf beyond binary64's
    range). Only type errors are raised here; ranges are checked by the caller."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise InvalidDtypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    return real_to_binary64(value)


def flat64(array: FloatArray) -> np.ndarray:
    """All elements in C order as binary64: float32 widens exactly (a signaling NaN stays a NaN)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(array.ravel(), dtype=np.float64)


def _from_numpy(array: np.ndarray, name: str) -> FloatArray:
    dtype = array.dtype
    if dtype.kind == "f" and dtype.itemsize in (4, 8):
        return array if dtype.isnative else array.astype(dtype.newbyteorder("="))
    if dtype.kind in "iu":
        return array.astype(np.float64)  # a C conversion: round to nearest, ties to even
    raise InvalidDtypeError(
        f"{name} has dtype {dtype}; regpen takes float32 or float64 arrays (integer arrays become float64)"
    )


def real_to_binary64(value: numbers.Real) -> float:
    """RN64 of a real number: float() rounds ints and fractions correctly, but raises
    OverflowError where the correctly rounded result is ±inf."""
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def _to_binary64(value: object, name: str) -> float:
    """One element: a real number that is not a bool (nor float16 or longdouble) as binary64."""
    if type(value) is float:
        return value
    if isinstance(value, np.generic):
        return float(_from_numpy(np.asarray(value), name))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return real_to_binary64(value)
    raise InvalidDtypeError(
        f"{name} must be a float32/float64 array or a (nested) sequence of real numbers; "
        f"got an element {value!r} of type {type(value).__name__}"
    )


def _from_sequence(values: list[Any] | tuple[Any, ...], name: str) -> FloatArray:
    """A nested sequence as a float64 array, level by level (no recursion, so depth is bounded by
    the check, not by Python's stack). Every level must hold only sequences of one length, or
    only numbers; anything else is ragged, which numpy cannot represent as a float array."""
    shape: list[int] = []
    level: list[Any] = [values]
    while True:
        lengths = {len(node) for node in level}
        if len(lengths) > 1:
            raise InvalidDtypeError(
                f"{name} is ragged: sequences of lengths {sorted(lengths)} at depth {len(shape)}"
            )
        if len(shape) == _MAX_DIMENSIONS:
            raise InvalidDtypeError(f"{name} is nested more than {_MAX_DIMENSIONS} deep, numpy's limit")
        shape.append(lengths.pop())
        children = [_as_node(child, name) for node in level for child in node]
        nested = [isinstance(child, list | tuple) for child in children]
        if not any(nested):
            break
        if not all(nested):
            raise InvalidDtypeError(f"{name} is ragged: numbers and sequences mixed at depth {len(shape)}")
        level = children
    return np.array([_to_binary64(v, name) for v in children], dtype=np.float64).reshape(shape)


def _as_node(child: object, name: str) -> object:
    """An array inside a sequence counts as the nested list of its (checked) values."""
    if isinstance(child, np.ndarray):
        return _from_numpy(child, name).tolist()
    return child
