"""The named input generators of SPEC.md §6.1: a long array as (generator, seed, n), bit for bit.

A vector stores `{"generator": name, "seed": s, "n": n}` instead of millions of elements; the oracle
and the harness both call `expand(arg, dtype)`. Every generator draws u_0, u_1, … from splitmix64
and maps each draw to an IEEE bit pattern with integer operations only, so any language can
reproduce the arrays exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

_GAMMA = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB
_U64 = np.uint64


def splitmix64(seed: int, n: int) -> np.ndarray:
    """u_i for i = 0..n-1: state_i = seed + (i + 1)·γ mod 2**64, then splitmix64's output mix."""
    with np.errstate(over="ignore"):
        z = _U64(seed) + np.arange(1, n + 1, dtype=np.uint64) * _U64(_GAMMA)
        z = (z ^ (z >> _U64(30))) * _U64(_MIX1)
        z = (z ^ (z >> _U64(27))) * _U64(_MIX2)
    return z ^ (z >> _U64(31))


# Per format: (total bits, fraction bits, exponent bias, precision p).
_LAYOUT = {"float64": (64, 52, 1023, 53), "float32": (32, 23, 127, 24)}
_UINT = {"float64": np.uint64, "float32": np.uint32}
_FLOAT = {"float64": np.float64, "float32": np.float32}


def _random_floats(u: np.ndarray, dtype: str, half_band: int) -> np.ndarray:
    """sign = bit 63 of u; E = ((u >> 52) mod 2048) mod (2K + 1) − K; fraction = the low m bits of u:
    the value (−1)**sign · (1 + fraction / 2**m) · 2**E, a normal number."""
    width, m, bias, _ = _LAYOUT[dtype]
    sign = u >> _U64(63)
    exponent = ((u >> _U64(52)) & _U64(0x7FF)) % _U64(2 * half_band + 1)  # E + K
    fraction = u & _U64((1 << m) - 1)
    biased = exponent + _U64(bias - half_band)
    bits = (sign << _U64(width - 1)) | (biased << _U64(m)) | fraction
    return bits.astype(_UINT[dtype]).view(_FLOAT[dtype])


def unit(seed: int, n: int, dtype: str) -> np.ndarray:
    """Random normal numbers of either sign with exponents −8..8 (K = 8)."""
    return _random_floats(splitmix64(seed, n), dtype, 8)


def wide(seed: int, n: int, dtype: str) -> np.ndarray:
    """Random normal numbers with exponents −K..K: K = 200 (binary64), 60 (binary32)."""
    return _random_floats(splitmix64(seed, n), dtype, 200 if dtype == "float64" else 60)


def _tie(seed: int, n: int, dtype: str, first: float) -> np.ndarray:
    """Σ|x_i| = 2**p + 1 + |x_0| exactly: a binary midpoint (2**p + 1) plus x_0.

    Each element's sign is bit 0 of its draw. For 1 <= i <= n − 2, |x_i| = k_i = 1 + (u_i >> (64 − b))
    with b = 24 (binary64) or 2 (binary32); |x_{n−1}| = 2**p + 1 − T with T = Σ k_i, an integer in
    [1, 2**p] (so exact) because T <= 2**b·(n − 2) < 2**p for n <= 4 000 000; |x_0| = `first`.
    """
    if not 3 <= n <= 4_000_000:
        raise ValueError("tie generators need 3 <= n <= 4 000 000")
    _, _, _, p = _LAYOUT[dtype]
    bits = 24 if dtype == "float64" else 2
    u = splitmix64(seed, n)
    magnitude = np.empty(n, np.float64)
    k = (u[1:-1] >> _U64(64 - bits)).astype(np.int64) + 1
    magnitude[1:-1] = k
    magnitude[0] = first
    magnitude[-1] = float(2**p + 1 - int(k.sum()))
    negative = (u & _U64(1)).astype(bool)
    return np.where(negative, -magnitude, magnitude).astype(_FLOAT[dtype])


def tie_abs(seed: int, n: int, dtype: str) -> np.ndarray:
    """Σ|x| exactly on the midpoint 2**p + 1 (x_0 = ±0): rounds to even, 2**p."""
    return _tie(seed, n, dtype, 0.0)


def above_tie_abs(seed: int, n: int, dtype: str) -> np.ndarray:
    """Σ|x| = 2**p + 1 + 2**-40 (x_0 = ±2**-40): rounds up to 2**p + 2; a sum that loses x_0 rounds
    the tie to even instead."""
    return _tie(seed, n, dtype, 2.0**-40)


GENERATORS: Mapping[str, Callable[[int, int, str], np.ndarray]] = {
    "unit": unit,
    "wide": wide,
    "tie_abs": tie_abs,
    "above_tie_abs": above_tie_abs,
}


def is_generated(arg: object) -> bool:
    return isinstance(arg, Mapping) and "generator" in arg


def expand(arg: Mapping[str, object], dtype: str) -> np.ndarray:
    """The array a vector's `{"generator", "seed", "n"}` argument stands for, in `dtype`
    ("float64" or "float32", the argument's dtype in the test)."""
    generator = GENERATORS[str(arg["generator"])]
    seed, n = int(arg["seed"]), int(arg["n"])  # type: ignore[call-overload]
    if not 0 <= seed < 2**64 or n < 0:
        raise ValueError(f"bad generated argument {dict(arg)}")
    return generator(seed, n, dtype)
