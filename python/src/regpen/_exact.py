"""Correctly rounded sums (conformance/SPEC.md §2): the exact real sum of exact terms, rounded once.

The reference favours clarity over speed. Each term is written as an exact sum of binary64 numbers
(Dekker's error-free product; no FMA is needed), `math.fsum` rounds their exact total correctly to
binary64, and a float32 result is derived from that without double rounding. Inputs outside the
range where the error-free product is exact take the `fractions` fallback.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from regpen._arrays import FloatArray

# Dekker's product is exact while no partial product overflows or underflows: nonzero magnitudes in
# [2**-250, 2**250] keep even a factor times a split square far from both ends of binary64.
_SAFE_MIN = 2.0**-250
_SAFE_MAX = 2.0**250
_SPLITTER = 2.0**27 + 1.0  # Veltkamp's constant for binary64


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = _SPLITTER * a
    high = c - (c - a)
    return high, a - high


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p + e == a·b exactly (Dekker), for operands in the safe range."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def _in_safe_range(*arrays: np.ndarray) -> bool:
    for a in arrays:
        magnitude = np.abs(a[a != 0])
        if magnitude.size and (magnitude.min() < _SAFE_MIN or magnitude.max() > _SAFE_MAX):
            return False
    return True


def _special_sum(a: np.ndarray, f: np.ndarray | None) -> float | None:
    """SPEC §2's special values for terms that are products of `a` (and `f`): NaN when a weight is
    NaN or a term is 0 × inf, +inf when another term has an infinite factor, else None."""
    infinite = np.isinf(a) if f is None else np.isinf(a) | np.isinf(f)
    zero = (a == 0) if f is None else (a == 0) | (f == 0)
    if np.isnan(a).any() or (infinite & zero).any():
        return math.nan
    if infinite.any():
        return math.inf
    return None


def _round_to_float32(nearest64: float, remainder_sign: Callable[[], int]) -> np.float32:
    """RN32 of an exact sum, given its correctly rounded binary64 value.

    Rounding the binary64 result again is wrong only when it lands exactly on a binary32 midpoint;
    the sign of the exact remainder (sum - nearest64) then decides.
    """
    with np.errstate(over="ignore"):
        candidate = np.float32(nearest64)
    if float(candidate) == nearest64:
        return candidate
    below = candidate if float(candidate) < nearest64 else np.nextafter(candidate, np.float32(-np.inf))
    above = np.nextafter(below, np.float32(np.inf))
    # Above the largest binary32 value the midpoint is half an ulp (2**103) past it.
    midpoint = float(below) + 2.0**103 if np.isinf(above) else (float(below) + float(above)) / 2
    if nearest64 != midpoint:
        return candidate
    sign = remainder_sign()
    if sign > 0:
        return above
    if sign < 0:
        return below
    return candidate  # an exact tie: the cast already rounded it to even


def _round_fraction(exact: Fraction, dtype: np.dtype) -> np.floating:
    """Fallback: round an exact rational (CPython divides integers with correct rounding)."""
    try:
        nearest64 = float(exact)
    except OverflowError:
        nearest64 = math.inf
    if dtype == np.float64:
        return np.float64(nearest64)
    if math.isinf(nearest64):
        return np.float32(np.inf)
    difference = exact - Fraction(nearest64)
    return _round_to_float32(nearest64, lambda: (difference > 0) - (difference < 0))


def _correctly_rounded(parts: list[np.ndarray], dtype: np.dtype) -> np.floating:
    """RN_F of the exact sum of every element of every array in `parts` (all finite binary64)."""
    values = np.concatenate(parts).tolist() if parts else []
    try:
        nearest64 = math.fsum(values)
    except OverflowError:  # fsum gives up on an intermediate overflow; the exact sum still rounds
        return _round_fraction(sum(map(Fraction, values), Fraction(0)), dtype)
    if dtype == np.float64:
        return np.float64(nearest64)

    def remainder_sign() -> int:
        # fsum of the terms and -nearest64 is the remainder correctly rounded: its sign is exact.
        remainder = math.fsum([*values, -nearest64])
        return (remainder > 0) - (remainder < 0)

    return _round_to_float32(nearest64, remainder_sign)


def _fraction_sum(f: np.ndarray | None, a: np.ndarray, power: int) -> Fraction:
    weights = [1.0] * a.size if f is None else f.tolist()
    return sum(
        (Fraction(x) * Fraction(y) ** power for x, y in zip(weights, a.tolist(), strict=True)), Fraction(0)
    )


def _prepare(w: FloatArray, factors: FloatArray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """|w| and the factors as flat binary64 arrays (exact: binary32 widens without rounding)."""
    a = np.abs(w.astype(np.float64).ravel())
    return a, None if factors is None else factors.astype(np.float64).ravel()


def sum_abs(w: FloatArray, factors: FloatArray | None) -> np.floating:
    """RN_F(Σ f_i·|w_i|) in the dtype of w; `factors` already rounded to that dtype."""
    a, f = _prepare(w, factors)
    special = _special_sum(a, f)
    if special is not None:
        return w.dtype.type(special)
    if f is None:
        return _correctly_rounded([a], w.dtype)
    if not _in_safe_range(a, f):
        return _round_fraction(_fraction_sum(f, a, 1), w.dtype)
    return _correctly_rounded(list(_two_product(f, a)), w.dtype)


def sum_squares(w: FloatArray, factors: FloatArray | None) -> np.floating:
    """RN_F(Σ f_i·w_i²) in the dtype of w, the squares taken exactly."""
    a, f = _prepare(w, factors)
    special = _special_sum(a, f)
    if special is not None:
        return w.dtype.type(special)
    if not _in_safe_range(a) or (f is not None and not _in_safe_range(f)):
        return _round_fraction(_fraction_sum(f, a, 2), w.dtype)
    high, low = _two_product(a, a)
    if f is None:
        return _correctly_rounded([high, low], w.dtype)
    return _correctly_rounded([*_two_product(f, high), *_two_product(f, low)], w.dtype)
