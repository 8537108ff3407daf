"""SPEC.md's operations, step by step, on exact arithmetic. Read this beside SPEC.md §1–§4."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from oracle.ieee import BINARY64, FORMATS, INF, NAN, Format, add, div, mul, neg, round_exact, sub, to_format

PARAMETER_NAMES = {"l1": ("lam",), "l2": ("lam",), "elastic_net": ("l1", "l2")}


class SpecError(Exception):
    """An input the spec rejects, with its error code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Penalty:
    type: str
    params: dict[str, float]
    penalty_factor: tuple[float, ...] | None = None

    def coefficient(self, part: str) -> float:
        """The binary64 strength of the absolute ("l1") or squared ("l2") part."""
        if self.type == "elastic_net":
            return self.params[part]
        return self.params["lam"] if self.type == part else 0.0


def _valid_nonnegative(x: float) -> bool:
    return math.isfinite(x) and x >= 0


def make_penalty(type_: str, params: dict[str, float], factor: Sequence[float] | None = None) -> Penalty:
    """Validate and normalize (−0 → +0, SPEC §1), in the spec's check order."""
    for name in PARAMETER_NAMES[type_]:
        if not _valid_nonnegative(params[name]):
            raise SpecError("invalid_lambda")
    if factor is not None and not all(_valid_nonnegative(f) for f in factor):
        raise SpecError("invalid_penalty_factor")
    normalized = {name: params[name] + 0.0 for name in PARAMETER_NAMES[type_]}
    return Penalty(type_, normalized, None if factor is None else tuple(f + 0.0 for f in factor))


def _factors(p: Penalty, n: int, fmt: Format) -> list[float]:
    if p.penalty_factor is None:
        return [1.0] * n
    if len(p.penalty_factor) != n:
        raise SpecError("shape_mismatch")
    return [to_format(f, fmt) for f in p.penalty_factor]


# Every binary64 value is an integer multiple of 2**-1074, so a product of up to three of them is an
# integer multiple of 2**-(3 * 1074): the sum is exact as one Python integer in those units.
_MAX_FACTORS = 3
_UNIT_BITS = _MAX_FACTORS * 1074


def correctly_rounded_sum(terms: Sequence[tuple[float, ...]], fmt: Format) -> float:
    """RN_F of Σ over terms, each term the exact product of its factors (SPEC §2)."""
    has_inf = False
    total = 0  # the exact sum, in units of 2**-_UNIT_BITS
    for factors in terms:
        if any(math.isnan(x) for x in factors):
            return NAN
        if any(math.isinf(x) for x in factors):
            if any(x == 0 for x in factors):
                return NAN  # fl(0 × ∞)
            has_inf = True
            continue
        assert len(factors) <= _MAX_FACTORS
        numerator, denominator = 1, 1
        for x in factors:
            n, d = abs(x).as_integer_ratio()  # d is a power of two
            numerator, denominator = numerator * n, denominator * d
        total += numerator << (_UNIT_BITS - (denominator.bit_length() - 1))
    if has_inf:
        return INF
    return round_exact(Fraction(total, 1 << _UNIT_BITS), fmt)


def _sum_abs(p: Penalty, w: Sequence[float], fmt: Format) -> float:
    return correctly_rounded_sum([(f, abs(x)) for f, x in zip(_factors(p, len(w), fmt), w, strict=True)], fmt)


def _sum_squares(p: Penalty, w: Sequence[float], fmt: Format) -> float:
    return correctly_rounded_sum([(f, x, x) for f, x in zip(_factors(p, len(w), fmt), w, strict=True)], fmt)


def value(p: Penalty, w: Sequence[float], fmt: Format) -> float:
    if p.type == "l1":
        return mul(to_format(p.params["lam"], fmt), _sum_abs(p, w, fmt), fmt)
    if p.type == "l2":
        return mul(to_format(p.params["lam"], fmt), _sum_squares(p, w, fmt), fmt)
    part1 = mul(to_format(p.params["l1"], fmt), _sum_abs(p, w, fmt), fmt)
    part2 = mul(to_format(p.params["l2"], fmt), _sum_squares(p, w, fmt), fmt)
    return add(part1, part2, fmt)


def _l1_gradient(lam: float, factors: list[float], w: Sequence[float], fmt: Format) -> list[float]:
    out = []
    for f, x in zip(factors, w, strict=True):
        c = mul(lam, f, fmt)
        if math.isnan(x):
            out.append(NAN)
        elif x > 0:
            out.append(c)
        elif x < 0:
            out.append(neg(c))
        else:
            out.append(0.0)
    return out


def _l2_gradient(lam: float, factors: list[float], w: Sequence[float], fmt: Format) -> list[float]:
    c = mul(2.0, lam, fmt)
    return [mul(mul(c, f, fmt), x, fmt) for f, x in zip(factors, w, strict=True)]


def gradient(p: Penalty, w: Sequence[float], fmt: Format) -> list[float]:
    factors = _factors(p, len(w), fmt)
    if p.type == "l1":
        return _l1_gradient(to_format(p.params["lam"], fmt), factors, w, fmt)
    if p.type == "l2":
        return _l2_gradient(to_format(p.params["lam"], fmt), factors, w, fmt)
    a = _l1_gradient(to_format(p.params["l1"], fmt), factors, w, fmt)
    b = _l2_gradient(to_format(p.params["l2"], fmt), factors, w, fmt)
    return [add(x, y, fmt) for x, y in zip(a, b, strict=True)]


def _soft_threshold(x: float, t: float, fmt: Format) -> float:
    d = sub(abs(x), t, fmt)
    if math.isnan(d):
        return NAN
    if d > 0:
        return math.copysign(d, x)
    return math.copysign(0.0, x)


def prox(p: Penalty, w: Sequence[float], step: float, fmt: Format) -> list[float]:
    if not _valid_nonnegative(step):
        raise SpecError("invalid_step")
    factors = _factors(p, len(w), fmt)
    step_f = to_format(step, fmt)
    l1 = to_format(p.coefficient("l1"), fmt)
    l2 = to_format(p.coefficient("l2"), fmt)
    out = []
    for f, x in zip(factors, w, strict=True):
        y = x
        if p.type in ("l1", "elastic_net"):
            y = _soft_threshold(y, mul(mul(step_f, l1, fmt), f, fmt), fmt)
        if p.type in ("l2", "elastic_net"):
            k = mul(mul(step_f, mul(2.0, l2, fmt), fmt), f, fmt)
            y = div(y, add(1.0, k, fmt), fmt)
        out.append(y)
    return out


def loss(
    p: Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    if len(y_true) != len(y_pred):
        raise SpecError("shape_mismatch")
    if p.penalty_factor is not None and len(p.penalty_factor) != len(w):
        raise SpecError("shape_mismatch")
    if not y_true:
        raise SpecError("empty_input")
    residuals = [sub(a, b, fmt) for a, b in zip(y_true, y_pred, strict=True)]
    sse = correctly_rounded_sum([(r, r) for r in residuals], fmt)
    mse = div(sse, round_exact(Fraction(len(y_true)), fmt), fmt)
    return add(mse, value(p, w, fmt), fmt)


def l1_regularization(weights: Sequence[float], lambda_: float) -> float:
    return value(make_penalty("l1", {"lam": lambda_}), weights, BINARY64)


# Configuration (SPEC §3, "Configuration").
_CONFIG_KEYS = {"l1": {"lam"}, "l2": {"lam"}, "elastic_net": {"l1", "l2"}}


def _json_number(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise SpecError("invalid_config")
    if isinstance(x, int):
        # A JSON integer is rounded to binary64 like any other number; too large is +-inf.
        return round_exact(Fraction(x), BINARY64)
    return x


def _reject_constant(name: str) -> float:
    raise SpecError("invalid_config")  # NaN and Infinity are not JSON


def from_config(text: str) -> Penalty:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError:
        raise SpecError("invalid_config") from None
    if not isinstance(data, dict) or data.get("type") not in _CONFIG_KEYS:
        raise SpecError("invalid_config")
    type_ = data["type"]
    keys = set(data) - {"type"}
    required = _CONFIG_KEYS[type_]
    if not required <= keys or not keys <= required | {"penalty_factor"}:
        raise SpecError("invalid_config")
    params = {name: _json_number(data[name]) for name in required}
    factor = data.get("penalty_factor")
    if factor is not None:
        if not isinstance(factor, list):
            raise SpecError("invalid_config")
        factor = [_json_number(x) for x in factor]
    elif "penalty_factor" in data:
        raise SpecError("invalid_config")
    return make_penalty(type_, params, factor)


def to_config(p: Penalty) -> str:
    config: dict[str, object] = {"type": p.type, **p.params}
    if p.penalty_factor is not None:
        config["penalty_factor"] = list(p.penalty_factor)
    return json.dumps(config)


# Conversions (SPEC §3, "Conversions"), binary64 steps in the table's order.
CONVENTIONS = {
    "sklearn": ("alpha", "l1_ratio"),
    "glmnet": ("lambda", "alpha"),
    "keras": ("l1", "l2"),
    "torch": ("weight_decay",),
}


def _mixing(strength: float, ratio: float) -> Penalty:
    if not _valid_nonnegative(strength) or not (math.isfinite(ratio) and 0 <= ratio <= 1):
        raise SpecError("invalid_lambda")
    l1 = mul(mul(2.0, strength, BINARY64), ratio, BINARY64)
    l2 = mul(strength, sub(1.0, ratio, BINARY64), BINARY64)
    return make_penalty("elastic_net", {"l1": l1, "l2": l2})


def convert(convention: str, params: dict[str, float]) -> Penalty:
    if convention == "sklearn":
        return _mixing(params["alpha"], params["l1_ratio"])
    if convention == "glmnet":
        return _mixing(params["lambda"], params["alpha"])
    if convention == "keras":
        return make_penalty("elastic_net", {"l1": params["l1"], "l2": params["l2"]})
    if convention == "torch":
        wd = params["weight_decay"]
        if not _valid_nonnegative(wd):
            raise SpecError("invalid_lambda")
        return make_penalty("l2", {"lam": div(wd, 2.0, BINARY64)})
    raise ValueError(f"unknown convention {convention!r}")


def fmt_of(dtype: str) -> Format:
    return FORMATS[dtype]
