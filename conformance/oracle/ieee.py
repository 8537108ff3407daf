"""Round-to-nearest-even IEEE-754 arithmetic for binary64 and binary32, done exactly on Fractions.

Special values (NaN, infinities, signed zeros) follow IEEE-754 §6; finite results are the exact
rational result rounded once by `round_exact`.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from fractions import Fraction

# The canonical quiet NaN of SPEC §2 (0x7ff8000000000000); built from its bits so that it does not
# depend on how the platform spells float("nan").
NAN = struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000000))[0]
INF = float("inf")


@dataclass(frozen=True)
class Format:
    name: str
    precision: int  # significand bits, including the hidden bit
    emin: int  # exponent of the smallest normal number
    emax: int  # exponent of the largest finite number

    @property
    def max_finite(self) -> Fraction:
        return (2 - Fraction(1, 2 ** (self.precision - 1))) * Fraction(2) ** self.emax


BINARY64 = Format("float64", 53, -1022, 1023)
BINARY32 = Format("float32", 24, -126, 127)
FORMATS = {"float64": BINARY64, "float32": BINARY32}


def _floor_log2(q: Fraction) -> int:
    """floor(log2(q)) for q > 0, exactly."""
    e = q.numerator.bit_length() - q.denominator.bit_length()
    # 2**e <= q < 2**(e+2) at this point; correct by at most one.
    if Fraction(2) ** e > q:
        e -= 1
    elif Fraction(2) ** (e + 1) <= q:
        e += 1
    return e


def round_exact(q: Fraction, fmt: Format) -> float:
    """The exact real q rounded once to fmt, ties to even, overflowing to ±inf."""
    if q == 0:
        return 0.0
    negative = q < 0
    a = -q if negative else q
    quantum_exp = max(_floor_log2(a), fmt.emin) - (fmt.precision - 1)
    scaled = a / Fraction(2) ** quantum_exp
    n = scaled.numerator // scaled.denominator
    remainder = scaled - n
    if remainder > Fraction(1, 2) or (remainder == Fraction(1, 2) and n % 2 == 1):
        n += 1
    if n == 0:
        return -0.0 if negative else 0.0
    if Fraction(n) * Fraction(2) ** quantum_exp > fmt.max_finite:
        return -INF if negative else INF
    value = math.ldexp(n, quantum_exp)
    return -value if negative else value


def to_format(x: float, fmt: Format) -> float:
    """Convert a binary64 value to fmt (RN32 for binary32; identity for binary64)."""
    if math.isnan(x) or math.isinf(x) or x == 0 or fmt is BINARY64 or is_representable(x, fmt):
        return x
    return round_exact(Fraction(x), fmt)


def is_representable(x: float, fmt: Format) -> bool:
    """Whether x is a value of fmt. A binary32 round trip through the C cast is exact exactly when
    x is a binary32 value, whatever the cast's rounding; struct refuses magnitudes beyond the range."""
    if fmt is BINARY64 or math.isnan(x) or math.isinf(x):
        return True
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0] == x
    except OverflowError:
        return False


def _signed_zero(negative: bool) -> float:
    return -0.0 if negative else 0.0


def _sign(x: float) -> bool:
    return math.copysign(1.0, x) < 0


def mul(a: float, b: float, fmt: Format) -> float:
    if math.isnan(a) or math.isnan(b):
        return NAN
    negative = _sign(a) != _sign(b)
    if math.isinf(a) or math.isinf(b):
        if a == 0 or b == 0:
            return NAN
        return -INF if negative else INF
    if a == 0 or b == 0:
        return _signed_zero(negative)
    return round_exact(Fraction(a) * Fraction(b), fmt)


def add(a: float, b: float, fmt: Format) -> float:
    if math.isnan(a) or math.isnan(b):
        return NAN
    if math.isinf(a) and math.isinf(b):
        return a if a == b else NAN
    if math.isinf(a):
        return a
    if math.isinf(b):
        return b
    if a == 0 and b == 0:
        return _signed_zero(_sign(a) and _sign(b))
    exact = Fraction(a) + Fraction(b)
    if exact == 0:
        return 0.0  # x + (-x) is +0 under round to nearest
    return round_exact(exact, fmt)


def neg(a: float) -> float:
    return -a  # negation is exact and flips the sign of zeros and NaN alike


def sub(a: float, b: float, fmt: Format) -> float:
    return add(a, neg(b), fmt)


def div(a: float, b: float, fmt: Format) -> float:
    if math.isnan(a) or math.isnan(b):
        return NAN
    negative = _sign(a) != _sign(b)
    if math.isinf(a):
        return NAN if math.isinf(b) else (-INF if negative else INF)
    if math.isinf(b):
        return _signed_zero(negative)
    if b == 0:
        return NAN if a == 0 else (-INF if negative else INF)
    if a == 0:
        return _signed_zero(negative)
    return round_exact(Fraction(a) / Fraction(b), fmt)


def copysign(magnitude: float, sign_source: float) -> float:
    return math.copysign(magnitude, sign_source)


def canonical(x: float) -> float:
    """Every NaN a backend outputs is the positive quiet NaN (SPEC §2); other values are unchanged."""
    return NAN if math.isnan(x) else x


# A binary32 NaN is carried in a Python float as the binary64 NaN with the same sign and the same
# leading fraction bits (what an IEEE conversion to binary64 does), so input NaNs keep their payload.
_F32_SHIFT = 52 - 23


def to_bits(x: float, fmt: Format) -> int:
    """The IEEE bit pattern of x in fmt; x must be a value of fmt (any NaN is, with its payload)."""
    bits64 = struct.unpack("<Q", struct.pack("<d", x))[0]
    if fmt is BINARY64:
        return bits64
    if math.isnan(x):
        return (bits64 >> 63) << 31 | 0xFF << 23 | (bits64 & ((1 << 52) - 1)) >> _F32_SHIFT
    if not is_representable(x, BINARY32):
        raise ValueError(f"{x!r} is not a binary32 value")
    return struct.unpack("<I", struct.pack("<f", x))[0]


def from_bits(bits: int, fmt: Format) -> float:
    """The value with IEEE bit pattern `bits` in fmt, as a Python float (NaN payloads kept)."""
    if fmt is BINARY64:
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    if bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF:
        carrier = (bits >> 31) << 63 | 0x7FF << 52 | (bits & 0x7FFFFF) << _F32_SHIFT
        return struct.unpack("<d", struct.pack("<Q", carrier))[0]
    return struct.unpack("<f", struct.pack("<I", bits))[0]
