"""Deliberately wrong implementations of SPEC.md ("mutants"), for tests only: the suite must kill each.

Each mutant is a plausible near miss — a summation algorithm that is not correctly rounded, a
second rounding, an FMA, a non-canonical NaN — and otherwise follows the oracle, so that the
vectors that kill it are the ones that test its one flaw. Every operation has the signature of the
oracle.spec function of the same name and returns floats. tests/test_oracle_mutants.py asserts that
each mutant fails at least 3 vectors; the harness runs them as test-only backends.

Sum-based mutants compute their sums from the finite products in the working format with their
algorithm, then combine them as the spec does (exactly, one rounding), so only the summation
differs; inputs with a special value (NaN, ±inf, an infinite float32 parameter) go to the oracle.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from oracle import spec
from oracle.ieee import BINARY32, BINARY64, Format, add, canonical, div, mul, round_exact, sub, to_format


@dataclass(frozen=True)
class Mutant:
    name: str
    description: str
    operations: Mapping[str, Callable] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers


def _dtype(fmt: Format) -> type:
    return np.float64 if fmt is BINARY64 else np.float32


def _coefficients(p: spec.Penalty, fmt: Format) -> tuple[float, float]:
    return to_format(p.coefficient("l1"), fmt), to_format(p.coefficient("l2"), fmt)


def _factors(p: spec.Penalty, n: int, fmt: Format) -> np.ndarray:
    if p.penalty_factor is None:
        return np.ones(n, _dtype(fmt))
    if len(p.penalty_factor) != n:
        raise spec.SpecError("shape_mismatch")
    return np.array([to_format(f, fmt) for f in p.penalty_factor], _dtype(fmt))


def _finite(p: spec.Penalty, fmt: Format, *arrays: Sequence[float]) -> bool:
    """True when no special value can arise: every input, parameter and factor finite in fmt."""
    c1, c2 = _coefficients(p, fmt)
    values = [c1, c2, *(to_format(f, fmt) for f in (p.penalty_factor or ()))]
    return all(math.isfinite(v) for v in values) and all(
        bool(np.all(np.isfinite(np.asarray(a, np.float64)))) for a in arrays
    )


def _rounded_squares(x: np.ndarray) -> np.ndarray:
    return x * x


def _two_product_squares(x: np.ndarray) -> np.ndarray:
    """Dot2's terms: each square as fl(x·x) and its exact error (Dekker's TwoProduct, no FMA),
    interleaved, so that Sum2 over them is Dot2."""
    split = 134217729.0 if x.dtype == np.float64 else 4097.0  # 2**27 + 1, 2**12 + 1
    c = x * x.dtype.type(split)
    high = c - (c - x)
    low = x - high
    product = x * x
    error = ((high * high - product) + 2 * high * low) + low * low
    return np.column_stack([product, error]).ravel()


def _terms(
    p: spec.Penalty, w: Sequence[float], fmt: Format, squares: Callable = _rounded_squares
) -> tuple[np.ndarray, np.ndarray]:
    """The products a float implementation sums: fl(f·|w|) and fl(fl(f·w)·w) (or, without factors,
    the `squares` terms), in fmt."""
    x = np.asarray(w, np.float64).astype(_dtype(fmt))
    f = _factors(p, len(x), fmt)
    with np.errstate(all="ignore"):
        if p.penalty_factor is None:
            return np.abs(x), squares(x)
        return f * np.abs(x), (f * x) * x


def _combine(p: spec.Penalty, s1: float, s2: float, fmt: Format, extra: Fraction = Fraction(0)) -> float:
    """RN_F(c1·s1 + c2·s2 + extra), exactly, from the two (approximate) sums."""
    c1, c2 = _coefficients(p, fmt)
    if not (math.isfinite(s1) and math.isfinite(s2)):
        return math.inf
    has1, has2 = p.type != "l2", p.type != "l1"
    return round_exact(Fraction(c1) * Fraction(s1) * has1 + Fraction(c2) * Fraction(s2) * has2 + extra, fmt)


def _value_with_sum(total: Callable[[np.ndarray, Format], float], squares: Callable) -> Callable:
    def value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
        if not _finite(p, fmt, w):
            return spec.value(p, w, fmt)
        t1, t2 = _terms(p, w, fmt, squares)
        return _combine(p, total(t1, fmt), total(t2, fmt), fmt)

    return value


def _loss_with_sum(total: Callable[[np.ndarray, Format], float], squares: Callable) -> Callable:
    """The loss a float implementation computes with this sum: fl(y − p), fl(r·r), summed."""

    def loss(
        p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
    ):
        if len(y_true) != len(y_pred) or len(y_true) == 0 or not _finite(p, fmt, y_true, y_pred, w):
            return spec.loss(p, y_true, y_pred, w, fmt)
        if p.penalty_factor is not None and len(p.penalty_factor) != len(w):
            raise spec.SpecError("shape_mismatch")
        dtype = _dtype(fmt)
        with np.errstate(all="ignore"):
            r = np.asarray(y_true, np.float64).astype(dtype) - np.asarray(y_pred, np.float64).astype(dtype)
            sse = total(squares(r), fmt)
        t1, t2 = _terms(p, w, fmt, squares)
        s1, s2 = total(t1, fmt), total(t2, fmt)
        if not all(math.isfinite(s) for s in (sse, s1, s2)):
            return math.inf
        return _combine(p, s1, s2, fmt, Fraction(sse) / len(y_true))

    return loss


def _l1_regularization(value: Callable) -> Callable:
    def l1_regularization(weights: Sequence[float], lambda_: float, fmt: Format) -> float:
        return value(spec.make_penalty("l1", {"lam": lambda_}), weights, fmt)

    return l1_regularization


def _operations(**overrides: Callable) -> dict[str, Callable]:
    """The oracle's five operations with some replaced; l1_regularization follows a replaced value."""
    ops: dict[str, Callable] = {
        "value": spec.value,
        "gradient": spec.gradient,
        "prox": spec.prox,
        "loss": spec.loss,
        "l1_regularization": spec.l1_regularization,
    }
    ops.update(overrides)
    if "value" in overrides and "l1_regularization" not in overrides:
        ops["l1_regularization"] = _l1_regularization(overrides["value"])
    return ops


def _sum_mutant(
    name: str,
    description: str,
    total: Callable[[np.ndarray, Format], float],
    squares: Callable = _rounded_squares,
) -> Mutant:
    return Mutant(
        name,
        description,
        _operations(value=_value_with_sum(total, squares), loss=_loss_with_sum(total, squares)),
    )


# ---------------------------------------------------------------- summation algorithms (in fmt)


def _naive(t: np.ndarray, fmt: Format) -> float:
    with np.errstate(all="ignore"):
        return float(np.add.accumulate(t)[-1]) if len(t) else 0.0  # accumulate is left to right


def _pairwise(t: np.ndarray, fmt: Format) -> float:
    with np.errstate(all="ignore"):
        return float(np.sum(t))  # numpy's blocked pairwise summation, in the array's dtype


def _sequential(t: np.ndarray, fmt: Format, step: Callable) -> float:
    """Runs a compensated loop with every operation rounded to fmt (Python floats for binary64;
    binary32 emulated by rounding each binary64 result, exact for + and − of binary32 values)."""
    if fmt is BINARY64:
        r = float
    else:

        def r(v: float) -> float:
            try:
                return struct.unpack("<f", struct.pack("<f", v))[0]
            except OverflowError:
                return math.copysign(math.inf, v)

    return step(t.astype(np.float64).tolist(), r)


def _kahan(t: np.ndarray, fmt: Format) -> float:
    def step(xs: list[float], r: Callable) -> float:
        s = c = 0.0
        for x in xs:
            y = r(x - c)
            u = r(s + y)
            c = r(r(u - s) - y)
            s = u
        return s

    return _sequential(t, fmt, step)


def _neumaier(t: np.ndarray, fmt: Format) -> float:
    def step(xs: list[float], r: Callable) -> float:
        s = c = 0.0
        for x in xs:
            u = r(s + x)
            c = r(c + (r(r(s - u) + x) if abs(s) >= abs(x) else r(r(x - u) + s)))
            s = u
        return r(s + c)

    return _sequential(t, fmt, step)


def _sum2(t: np.ndarray, fmt: Format) -> float:
    """Ogita-Rump-Oishi Sum2 (TwoSum cascade), result fl(s + e), with no test that it is correct."""

    def step(xs: list[float], r: Callable) -> float:
        s = e = 0.0
        for x in xs:
            u = r(s + x)
            z = r(u - s)
            e = r(e + r(r(s - r(u - z)) + r(x - z)))
            s = u
        return r(s + e)

    return _sequential(t, fmt, step)


# ---------------------------------------------------------------- other flaws


def _double_rounded_value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
    """Computes in binary64 (correctly rounded there), then casts: RN32(RN64(exact))."""
    return to_format(spec.value(p, w, BINARY64), fmt) if fmt is BINARY32 else spec.value(p, w, fmt)


def _double_rounded_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    if fmt is BINARY64:
        return spec.loss(p, y_true, y_pred, w, fmt)
    return to_format(spec.loss(p, y_true, y_pred, w, BINARY64), fmt)


def _rounded_products_value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
    """Rounds each product fl(f·|w|), fl(fl(f·w)·w), then sums those exactly and rounds once."""
    if not _finite(p, fmt, w):
        return spec.value(p, w, fmt)
    t1, t2 = _terms(p, w, fmt)
    if not (np.all(np.isfinite(t1)) and np.all(np.isfinite(t2))):
        return math.inf
    c1, c2 = _coefficients(p, fmt)
    exact1 = sum((Fraction(float(x)) for x in t1), Fraction(0))
    exact2 = sum((Fraction(float(x)) for x in t2), Fraction(0))
    has1, has2 = p.type != "l2", p.type != "l1"
    return round_exact(Fraction(c1) * exact1 * has1 + Fraction(c2) * exact2 * has2, fmt)


def spec1_value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
    """Spec 1.0's value: fl(lam × RN(S)) for each part, then fl(part1 + part2) for ElasticNet."""
    if not _finite(p, fmt, w):
        return spec.value(p, w, fmt)
    f = [1.0] * len(w) if p.penalty_factor is None else [to_format(x, fmt) for x in p.penalty_factor]
    if len(f) != len(w):
        raise spec.SpecError("shape_mismatch")
    s1 = round_exact(
        sum((Fraction(a) * abs(Fraction(x)) for a, x in zip(f, w, strict=True)), Fraction(0)), fmt
    )
    s2 = round_exact(
        sum((Fraction(a) * Fraction(x) ** 2 for a, x in zip(f, w, strict=True)), Fraction(0)), fmt
    )
    c1, c2 = _coefficients(p, fmt)
    if p.type == "l1":
        return canonical(mul(c1, s1, fmt))
    if p.type == "l2":
        return canonical(mul(c2, s2, fmt))
    return canonical(add(mul(c1, s1, fmt), mul(c2, s2, fmt), fmt))


def spec1_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    """Spec 1.0's loss: r = fl(y − p), RN(Σ r²), fl(SSE / RN(n)), then fl(mse + value)."""
    if len(y_true) != len(y_pred) or len(y_true) == 0 or not _finite(p, fmt, y_true, y_pred, w):
        return spec.loss(p, y_true, y_pred, w, fmt)
    residuals = [sub(a, b, fmt) for a, b in zip(y_true, y_pred, strict=True)]
    sse = round_exact(sum((Fraction(r) ** 2 for r in residuals), Fraction(0)), fmt)
    mse = div(sse, round_exact(Fraction(len(y_true)), fmt), fmt)
    return canonical(add(mse, spec1_value(p, w, fmt), fmt))


def _rounded_residual_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    """The exact loss, except each residual is rounded: fl(y − p)."""
    if len(y_true) != len(y_pred) or len(y_true) == 0 or not _finite(p, fmt, y_true, y_pred):
        return spec.loss(p, y_true, y_pred, w, fmt)
    rounded = [sub(a, b, fmt) for a, b in zip(y_true, y_pred, strict=True)]
    if not all(math.isfinite(r) for r in rounded):
        return spec.loss(p, y_true, y_pred, w, fmt)
    # y' − 0 = fl(y − p) exactly: the oracle's exact residuals of (rounded, 0) are the rounded ones.
    return spec.loss(p, rounded, [0.0] * len(rounded), w, fmt)


def _rounded_mean_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    """Exact residuals, but the mean and the penalty rounded apart: fl(RN(SSE/n) + RN(penalty))."""
    if len(y_true) != len(y_pred) or len(y_true) == 0 or not _finite(p, fmt, y_true, y_pred, w):
        return spec.loss(p, y_true, y_pred, w, fmt)
    mse = spec.loss(spec.make_penalty("l1", {"lam": 0.0}), y_true, y_pred, [], fmt)
    return canonical(add(mse, spec.value(p, w, fmt), fmt))


def _prox_with_shrink(
    p: spec.Penalty,
    w: Sequence[float],
    step: float,
    fmt: Format,
    shrink: Callable[[float, float, float], float],
) -> list[float]:
    """The spec's prox up to the L2 shrink, then `shrink(x, k, f_i)` for fl(x / fl(1 + fl(k × f_i)))."""
    if not (math.isfinite(step) and step >= 0):
        raise spec.SpecError("invalid_step")
    if p.type == "l1":
        return spec.prox(p, w, step, fmt)
    l1_part = spec.make_penalty("l1", {"lam": p.coefficient("l1")}, p.penalty_factor)
    shrunk = spec.prox(l1_part, w, step, fmt) if p.type == "elastic_net" else list(w)
    factors = _factors(p, len(w), fmt)
    k = mul(to_format(step, fmt), mul(2.0, to_format(p.coefficient("l2"), fmt), fmt), fmt)
    return [canonical(shrink(x, k, float(f))) for x, f in zip(shrunk, factors, strict=True)]


def _reciprocal_prox(p: spec.Penalty, w: Sequence[float], step: float, fmt: Format) -> list[float]:
    """The L2 shrink as fl(w × fl(1 / fl(1 + k))) instead of fl(w / fl(1 + k))."""
    return _prox_with_shrink(
        p, w, step, fmt, lambda x, k, f: mul(x, div(1.0, add(1.0, mul(k, f, fmt), fmt), fmt), fmt)
    )


def _fma(a: float, b: float, c: float, fmt: Format) -> float:
    """RN(a·b + c) with one rounding (finite operands; IEEE rules otherwise via two steps)."""
    if not all(math.isfinite(v) for v in (a, b, c)):
        return add(mul(a, b, fmt), c, fmt)
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return add(mul(a, b, fmt), c, fmt)  # the sign of an exact zero as IEEE fma gives it
    return round_exact(exact, fmt)


def _fma_gradient(p: spec.Penalty, w: Sequence[float], fmt: Format) -> list[float]:
    """ElasticNet's g_i = a_i + c_i·w_i contracted into fma(c_i, w_i, a_i)."""
    if p.type != "elastic_net":
        return spec.gradient(p, w, fmt)
    a = spec.gradient(spec.make_penalty("l1", {"lam": p.params["l1"]}, p.penalty_factor), w, fmt)
    factors = _factors(p, len(w), fmt)
    c = mul(2.0, to_format(p.params["l2"], fmt), fmt)
    out = []
    for ai, x, f in zip(a, w, factors, strict=True):
        out.append(canonical(_fma(mul(c, float(f), fmt), x, ai, fmt)))
    return out


def _fma_prox(p: spec.Penalty, w: Sequence[float], step: float, fmt: Format) -> list[float]:
    """The L2 shrink's fl(1 + k·f_i) contracted into fma(k, f_i, 1)."""
    return _prox_with_shrink(p, w, step, fmt, lambda x, k, f: div(x, _fma(k, f, 1.0, fmt), fmt))


# x86's default NaN (0 × ∞, ∞ − ∞) is the negative quiet NaN; an input NaN propagates, quieted.
_X86_DEFAULT_NAN = struct.unpack("<d", struct.pack("<Q", 0xFFF8000000000000))[0]


def _propagated_nan(inputs: Sequence[float]) -> float:
    for x in inputs:
        if math.isnan(x):
            bits = struct.unpack("<Q", struct.pack("<d", float(x)))[0] | (1 << 51)  # quieted
            return struct.unpack("<d", struct.pack("<Q", bits))[0]
    return _X86_DEFAULT_NAN


def _nan_value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
    result = spec.value(p, w, fmt)
    return _propagated_nan(w) if math.isnan(result) else result


def _nan_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    result = spec.loss(p, y_true, y_pred, w, fmt)
    return _propagated_nan([*y_true, *y_pred, *w]) if math.isnan(result) else result


def _nan_elementwise(operation: Callable) -> Callable:
    def elementwise(p: spec.Penalty, w: Sequence[float], *rest: object) -> list[float]:
        out = operation(p, w, *rest)
        return [_propagated_nan([x]) if math.isnan(y) else y for x, y in zip(w, out, strict=True)]

    return elementwise


MUTANTS: tuple[Mutant, ...] = (
    _sum_mutant("naive", "left-to-right loop in the working format", _naive),
    _sum_mutant("pairwise", "numpy's pairwise np.sum in the working format", _pairwise),
    _sum_mutant("kahan", "Kahan compensated summation", _kahan),
    _sum_mutant("neumaier", "Neumaier (Kahan-Babuska) summation", _neumaier),
    _sum_mutant(
        "sum2_unchecked",
        "Ogita-Rump-Oishi Sum2 / Dot2 result fl(s + e), no rounding check",
        _sum2,
        _two_product_squares,
    ),
    Mutant(
        "binary64_then_cast",
        "float32 computed correctly rounded in binary64, then cast (double rounding)",
        _operations(value=_double_rounded_value, loss=_double_rounded_loss),
    ),
    Mutant(
        "rounded_products",
        "each product fl(f·|w|), fl(fl(f·w)·w) rounded before an exact sum",
        _operations(value=_rounded_products_value),
    ),
    Mutant(
        "spec1_value",
        "spec 1.0: fl(lam × RN(S)), loss with every step rounded",
        _operations(value=spec1_value, loss=spec1_loss),
    ),
    Mutant("rounded_residual", "the loss with fl(y − p) residuals", _operations(loss=_rounded_residual_loss)),
    Mutant("rounded_mean", "the loss as fl(RN(SSE / n) + RN(penalty))", _operations(loss=_rounded_mean_loss)),
    Mutant("reciprocal_prox", "L2 prox as w × (1 / (1 + k))", _operations(prox=_reciprocal_prox)),
    Mutant(
        "fma_contracted",
        "FMA contraction in ElasticNet's gradient and in 1 + k·f",
        _operations(gradient=_fma_gradient, prox=_fma_prox),
    ),
    Mutant(
        "noncanonical_nan",
        "NaN outputs propagate the input NaN (quieted) or x86's 0xfff8… default NaN",
        _operations(
            value=_nan_value,
            loss=_nan_loss,
            gradient=_nan_elementwise(spec.gradient),
            prox=_nan_elementwise(spec.prox),
        ),
    ),
)
