"""Exact sums of products over long finite binary64 arrays, in numpy integers: the oracle's fast path.

spec.py's element-by-element big-integer sums are the readable definition; this module gives the
same exact rationals for long arrays (generated inputs of millions of elements) in a fraction of a
second, and tests/test_oracle.py checks the two against each other. Nothing is rounded here.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

# A binary64 significand has 53 bits; cut into pieces of at most 18 bits, a product of two pieces
# has at most 36 bits. Sums are taken per exponent with np.bincount in binary64, which is exact as
# long as every partial sum stays below 2**53: each summand is cut again to at most 19 bits, and an
# array has at most 2**22 elements (2**41 < 2**53).
_PIECE_BITS = 18
_LOW_BITS = 19
MAX_LENGTH = 1 << 22


def _decompose(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x = sign·significand·2**exponent exactly, from the bits (int64 arrays, sign ±1)."""
    bits = np.ascontiguousarray(x, np.float64).view(np.uint64)
    biased = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64)
    fraction = (bits & np.uint64((1 << 52) - 1)).astype(np.int64)
    significand = np.where(biased > 0, fraction | (1 << 52), fraction)
    exponent = np.maximum(biased, 1) - 1075
    sign = 1 - 2 * (bits >> np.uint64(63)).astype(np.int64)
    return sign, significand, exponent


def _bucket_sum(
    index: np.ndarray, lowest: int, columns: list[np.ndarray], sign: np.ndarray | None
) -> Fraction:
    """Σ_i sign_i·(Σ_k columns[k]_i·2**(bits_k))·2**(index_i + lowest), exactly; columns are
    non-negative int64 arrays, each below 2**38, listed from the most significant (18 bits apart)."""
    size = int(index.max()) + 1
    per_exponent = []
    for column in columns:
        high, low = column >> _LOW_BITS, column & ((1 << _LOW_BITS) - 1)
        if sign is not None:  # None: every term is non-negative
            high, low = sign * high, sign * low
        per_exponent.append(
            (
                np.bincount(index, weights=high, minlength=size),
                np.bincount(index, weights=low, minlength=size),
            )
        )
    total = 0
    for k in np.flatnonzero(
        np.any([h != 0 for h, _ in per_exponent] + [lo != 0 for _, lo in per_exponent], 0)
    ):
        significand = 0
        for high, low in per_exponent:
            significand = (significand << _PIECE_BITS) + (int(high[k]) << _LOW_BITS) + int(low[k])
        total += significand << int(k)
    return Fraction(total) * Fraction(2) ** lowest


def dot(x: np.ndarray, y: np.ndarray) -> Fraction:
    """Σ x_i·y_i exactly, for finite binary64 arrays of one length (at most MAX_LENGTH)."""
    if len(x) > MAX_LENGTH:
        raise ValueError("array too long for exact bincount sums")
    if len(x) == 0:
        return Fraction(0)
    sx, mx, ex = _decompose(x)
    sy, my, ey = _decompose(y)
    mask = (1 << _PIECE_BITS) - 1
    xa, xb, xc = mx >> 2 * _PIECE_BITS, (mx >> _PIECE_BITS) & mask, mx & mask
    ya, yb, yc = my >> 2 * _PIECE_BITS, (my >> _PIECE_BITS) & mask, my & mask
    columns = [
        xa * ya,
        xa * yb + xb * ya,
        xa * yc + xb * yb + xc * ya,
        xb * yc + xc * yb,
        xc * yc,
    ]
    exponent = ex + ey
    lowest = int(exponent.min())
    return _bucket_sum(exponent - lowest, lowest, columns, sx * sy)


def abs_sum(w: np.ndarray) -> Fraction:
    """Σ |w_i| exactly."""
    if len(w) == 0:
        return Fraction(0)
    _, significand, exponent = _decompose(w)
    lowest = int(exponent.min())
    # Two columns 18 bits apart would need the significand in 18-bit pieces: use three.
    mask = (1 << _PIECE_BITS) - 1
    columns = [significand >> 2 * _PIECE_BITS, (significand >> _PIECE_BITS) & mask, significand & mask]
    return _bucket_sum(exponent - lowest, lowest, columns, None)


def square_sum(w: np.ndarray) -> Fraction:
    """Σ w_i² exactly (dot(w, w) with the symmetric products merged and no signs)."""
    if len(w) == 0:
        return Fraction(0)
    _, m, e = _decompose(w)
    mask = (1 << _PIECE_BITS) - 1
    a, b, c = m >> 2 * _PIECE_BITS, (m >> _PIECE_BITS) & mask, m & mask
    columns = [a * a, 2 * a * b, 2 * a * c + b * b, 2 * b * c, c * c]
    exponent = 2 * e
    lowest = int(exponent.min())
    return _bucket_sum(exponent - lowest, lowest, columns, None)


def residual_square_sum(y_true: np.ndarray, y_pred: np.ndarray) -> Fraction | None:
    """Σ (y_i − p_i)² with exact residuals, or None when a residual overflows binary64 (the caller
    then takes the element-by-element path). TwoSum gives y − p = s + t exactly with s, t binary64."""
    a = np.asarray(y_true, np.float64)
    b = -np.asarray(y_pred, np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        s = a + b
        if not np.all(np.isfinite(s)):
            return None
        bb = s - a
        t = (a - (s - bb)) + (b - bb)
    if not t.any():  # every residual exact in binary64 (always so for float32 inputs of near exponents)
        return dot(s, s)
    return dot(s, s) + 2 * dot(s, t) + dot(t, t)


def all_finite(*arrays: np.ndarray) -> bool:
    return all(bool(np.all(np.isfinite(np.asarray(x, np.float64)))) for x in arrays)
