"""Exact sums of products, rounded once (conformance/SPEC.md, decision A of spec 2.0).

Every scalar regpen returns is RN_F of an exact real: Σ f·(c1·|w| + c2·w²) for a penalty, and
(1/n)·Σ (y − p)² plus that for the loss. The reference computes the exact value as a Python
integer times a power of two and rounds it once, with integer arithmetic, to binary64 or binary32.
There is no fast path that can round wrongly and so no fallback: every step below is exact for
every finite input, and the steps are vectorized so that the exact path is also the fast one.

1. `np.frexp` splits each factor x into a mantissa m with 0.5 <= |m| < 1 (or 0) and an integer
   exponent e, x = m·2**e. Both are exact, subnormal inputs included.
2. The mantissas are multiplied with Dekker's error-free product (p + err == a·b exactly), which
   is exact when no intermediate result overflows or underflows. The operands are mantissas
   (multiples of 2**-53 in [0.5, 1)) or earlier terms of a product of at most three of them
   (multiples of 2**-106 below 1), and Veltkamp's split keeps those grids: every nonzero
   intermediate is a multiple of 2**-159 below 4 in magnitude, far inside binary64's normal range.
   The scalar coefficients c1, c2 (and the count n of the loss) multiply the exact sums as Python
   integers at the end, so the vectorized products have at most three factors (f·w·w).
3. Each term t, scaled by its element's exponent E, is again split by `np.frexp` into an integer
   M = m_t·2**53 (|M| < 2**53) and a power of two: t·2**E = M·2**(E + e_t − 53). M is cut into
   M = hi·2**26 + lo (0 <= lo < 2**26, |hi| <= 2**27), and `np.bincount` adds the his and the los
   per power of two in binary64. A block has at most 6 terms per element, so a bin receives fewer
   than 2**19 pieces of magnitude at most 2**27: every partial sum is an integer below 2**46 in
   magnitude, which binary64 adds exactly.
4. The bins, each an exact integer, are added as Python integers: the exact sum.
5. `_round` rounds num·2**exp/den (den = 1, or n for the mean) to nearest, ties to even, with
   integer division, in the working format's precision and exponent range.

The input is processed in blocks of `_BLOCK` elements so that temporary arrays stay small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

_BLOCK = 1 << 16  # elements per block: at most 6 terms each, so a bincount sees < 2**19 pieces
_SPLITTER = 2.0**27 + 1.0  # Veltkamp's constant for binary64


@dataclass(frozen=True, slots=True)
class Exact:
    """The exact real num·2**exp (num an integer)."""

    num: int
    exp: int

    def __add__(self, other: Exact) -> Exact:
        low = min(self.exp, other.exp)
        return Exact((self.num << (self.exp - low)) + (other.num << (other.exp - low)), low)

    def scaled(self, factor: float | int) -> Exact:
        """self·factor exactly, for a finite binary64 number or an integer `factor`."""
        num, den = factor.as_integer_ratio()  # den is a power of two
        return Exact(self.num * num, self.exp - (den.bit_length() - 1))


ZERO = Exact(0, 0)

# A sum is a special value (NaN or +inf, decided per product) or an exact finite real.
Sum = Exact | float


class Format(NamedTuple):
    precision: int  # significand bits, the hidden bit included
    emin: int  # exponent of the smallest normal number
    emax: int  # exponent of the largest finite number


FORMATS = {np.dtype(np.float64): Format(53, -1022, 1023), np.dtype(np.float32): Format(24, -126, 127)}


def _round(num: int, exp: int, den: int, fmt: Format) -> float:
    """RN_F(num·2**exp/den) for integers num >= 0 and den >= 1, ties to even, overflowing to +inf
    only when the exact value is at or beyond the overflow threshold. Exact in binary64."""
    if num == 0:
        return 0.0
    shift = num.bit_length() - den.bit_length()  # floor(log2(num/den)) is shift or shift − 1
    below = num < (den << shift) if shift >= 0 else (num << -shift) < den
    e = shift - below + exp  # floor(log2) of the value
    quantum = max(e, fmt.emin) - (fmt.precision - 1)  # exponent of the result's last bit
    if exp >= quantum:
        mantissa, remainder = divmod(num << (exp - quantum), den)
        divisor = den
    else:
        divisor = den << (quantum - exp)
        mantissa, remainder = divmod(num, divisor)
    if 2 * remainder > divisor or (2 * remainder == divisor and mantissa & 1):
        mantissa += 1
    if quantum + mantissa.bit_length() - 1 > fmt.emax:
        return math.inf
    return math.ldexp(mantissa, quantum)  # mantissa has at most 53 bits: exact


def rounded(total: Sum, dtype: np.dtype, den: int = 1) -> np.floating:
    """RN_F(total/den) as a numpy scalar of `dtype`; a NaN result is the canonical quiet NaN."""
    if isinstance(total, float):
        return dtype.type(math.nan if math.isnan(total) else total)
    return dtype.type(_round(total.num, total.exp, den, FORMATS[dtype]))


def special(a: Sum, b: Sum) -> float | None:
    """The special value of a sum of two sums (NaN before +inf), or None when both are finite."""
    if any(isinstance(x, float) and math.isnan(x) for x in (a, b)):
        return math.nan
    if isinstance(a, float) or isinstance(b, float):
        return math.inf
    return None


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """p + err == a·b exactly (Dekker), for operands whose partial products stay normal (point 2)."""
    p = a * b
    c = _SPLITTER * a
    a_hi = c - (c - a)
    a_lo = a - a_hi
    c = _SPLITTER * b
    b_hi = c - (c - b)
    b_lo = b - b_hi
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, err


Split = tuple[np.ndarray, np.ndarray]  # np.frexp's (mantissa, exponent) of an array (point 1)


def _product_terms(factors: list[Split], offset: np.ndarray | int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(t, E) pairs whose Σ t·2**E is exactly Π factors · 2**offset, elementwise (point 2)."""
    (mantissa, exponent), rest = factors[0], factors[1:]
    terms = [mantissa]
    for m, e in rest:
        exponent = exponent + e
        terms = [t for term in terms for t in _two_product(term, m)]
    exponent = exponent + offset
    return [(t, exponent) for t in terms]


def _accumulate(terms: list[tuple[np.ndarray, np.ndarray | int]]) -> Exact:
    """Σ t·2**E over every element of every pair, exactly (points 3 and 4)."""
    mantissas, exponents = [], []
    for t, e in terms:
        m, e_t = np.frexp(t)
        mantissas.append(m)
        exponents.append(e + e_t)
    m = np.concatenate(mantissas) * 2.0**53  # integers, |m| < 2**53
    x = np.concatenate(exponents)  # the value of a piece is m·2**(x − 53)
    hi = np.floor(m * 2.0**-26)
    lo = m - hi * 2.0**26
    low = int(x.min())
    index = x - low
    high_bins = np.bincount(index, weights=hi)
    low_bins = np.bincount(index, weights=lo)
    nonzero = np.flatnonzero((high_bins != 0) | (low_bins != 0))
    total = 0
    highs, lows = high_bins[nonzero].tolist(), low_bins[nonzero].tolist()
    for b, high, low_part in zip(nonzero.tolist(), highs, lows, strict=True):
        total += ((int(high) << 26) + int(low_part)) << b
    return Exact(total, low - 53)


def _blocks(n: int) -> range:
    return range(0, n, _BLOCK)


def _special(factors: list[np.ndarray | float]) -> tuple[bool, bool]:
    """(some product is NaN, some product is +inf) for the elementwise products Π factors: NaN for
    a NaN factor or for 0 × ∞, +inf for an infinite factor and no zero (decision A)."""
    nan = np.zeros(np.shape(factors[-1]), dtype=bool)
    infinite = nan.copy()
    zero = nan.copy()
    for x in factors:
        nan |= np.isnan(x)
        infinite |= np.isinf(x)
        zero |= np.equal(x, 0)
    nan |= infinite & zero
    return bool(nan.any()), bool(infinite.any())


def penalty_sum(w: np.ndarray, factor: np.ndarray | None, c1: float | None, c2: float | None) -> Sum:
    """Σ f_i·(c1·|w_i| + c2·w_i²), exactly, over flat binary64 arrays; a part whose coefficient is
    None is absent (L1 has no squared part, L2 no absolute part). Special values per product."""
    if w.size == 0:
        return ZERO
    if not (np.isfinite(w).all() and all(c is None or math.isfinite(c) for c in (c1, c2))) or (
        factor is not None and not np.isfinite(factor).all()
    ):
        a = np.abs(w)
        products = []
        f = [] if factor is None else [factor]
        if c1 is not None:
            products.append([c1, *f, a])
        if c2 is not None:
            products.append([c2, *f, a, a])
        flags = [_special(p) for p in products]
        if any(nan for nan, _ in flags):
            return math.nan
        if any(inf for _, inf in flags):
            return math.inf
    absolute, squares = ZERO, ZERO
    for start in _blocks(w.size):
        a = np.abs(w[start : start + _BLOCK])
        a_split = np.frexp(a)
        f = [] if factor is None else [np.frexp(factor[start : start + _BLOCK])]
        if c1 is not None:
            absolute += _accumulate(_product_terms([*f, a_split]) if f else [(a, 0)])
        if c2 is not None:
            squares += _accumulate(_product_terms([*f, a_split, a_split]))
    total = ZERO
    if c1 is not None:
        total += absolute.scaled(c1)
    if c2 is not None:
        total += squares.scaled(c2)
    return total


def residual_sum(y: np.ndarray, p: np.ndarray) -> Sum:
    """Σ (y_i − p_i)², exactly, over flat binary64 arrays. A residual is NaN for a NaN input or
    ∞ − ∞ of one sign, and infinite when one input is (decision A)."""
    if not (np.isfinite(y).all() and np.isfinite(p).all()):
        nan = np.isnan(y) | np.isnan(p) | (np.isinf(y) & np.isinf(p) & (y == p))
        return math.nan if nan.any() else math.inf
    total = ZERO
    for start in _blocks(y.size):
        a = y[start : start + _BLOCK]
        b = p[start : start + _BLOCK]
        # y − p overflows only when both are at least 2**970 in magnitude: halving both is then
        # exact, and the residual's square gets the factor 4 back as an exponent offset.
        with np.errstate(over="ignore"):
            overflow = np.isinf(a - b)
        offset = 2 * overflow.astype(np.intc)
        if overflow.any():
            a = np.where(overflow, a * 0.5, a)
            b = np.where(overflow, b * 0.5, b)
        # Knuth's TwoSum: d + err == a − b exactly, so (a − b)² == d² + 2·d·err + err².
        d = a - b
        virtual = d - a
        err = (a - (d - virtual)) - (b + virtual)
        d_split = np.frexp(d)
        terms = _product_terms([d_split, d_split], offset)
        if err.any():  # often all zero, e.g. when y and p are within a factor of 2 (Sterbenz)
            err_split = np.frexp(err)
            terms += _product_terms([d_split, err_split], offset + 1)
            terms += _product_terms([err_split, err_split], offset)
        total += _accumulate(terms)
    return total
