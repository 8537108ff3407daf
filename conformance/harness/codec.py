"""Exact float encoding used by the vectors: IEEE-754 bit patterns as fixed-width hex strings.

float64 values are "0x" + 16 hex digits, float32 values "0x" + 8 hex digits, so the width alone
tells the format and every language decodes them in one line without any decimal parsing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DTYPES = {"float64": np.dtype(np.float64), "float32": np.dtype(np.float32)}
_BITS = {"float64": np.dtype(np.uint64), "float32": np.dtype(np.uint32)}
_DIGITS = {"float64": 16, "float32": 8}


def decode_array(hexes: Sequence[str], dtype: str) -> np.ndarray:
    bits = np.array([int(h, 16) for h in hexes], dtype=_BITS[dtype])
    return bits.view(DTYPES[dtype])


def decode_scalar(hex_value: str, dtype: str = "float64") -> np.floating:
    return decode_array([hex_value], dtype)[0]


def decode_param(hex_value: str) -> float:
    """Penalty parameters and steps are always binary64."""
    return float(decode_scalar(hex_value, "float64"))


def encode_array(values: np.ndarray) -> list[str]:
    name = np.dtype(values.dtype).name
    digits = _DIGITS[name]
    bits = np.ascontiguousarray(values).reshape(-1).view(_BITS[name])
    return [f"0x{int(b):0{digits}x}" for b in bits]


def encode_scalar(value: float | np.floating, dtype: str = "float64") -> str:
    return encode_array(np.array([value], dtype=DTYPES[dtype]))[0]
