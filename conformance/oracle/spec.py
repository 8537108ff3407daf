"""SPEC.md's operations, step by step, on exact arithmetic. Read this beside SPEC.md §1–§4."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from oracle import exact
from oracle.ieee import (
    BINARY32,
    BINARY64,
    FORMATS,
    INF,
    NAN,
    Format,
    add,
    canonical,
    div,
    mul,
    neg,
    round_exact,
    sub,
    to_format,
)

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


# Element types (SPEC §3): integers are float64 input, converted by correct rounding.
ELEMENT_FORMATS = {"float64": BINARY64, "float32": BINARY32, "int64": BINARY64}


def elements(xs: Sequence[float | int], dtype: str) -> list[float]:
    """The values of an array of `dtype`: int64 elements become RN64 of their exact value."""
    if dtype == "int64":
        return [round_exact(Fraction(x), BINARY64) if x else 0.0 for x in xs]
    return list(xs)


def working_format(dtypes: Sequence[str]) -> Format:
    """The one working format of a call's arrays (int64 counts as float64), else invalid_dtype."""
    formats = {ELEMENT_FORMATS.get(d) for d in dtypes}
    if None in formats or len(formats) != 1:
        raise SpecError("invalid_dtype")
    return formats.pop()


def same_shape(shape_true: Sequence[int], shape_pred: Sequence[int]) -> None:
    """loss: y_true and y_pred must have the same shape, not only the same size (SPEC §3)."""
    if list(shape_true) != list(shape_pred):
        raise SpecError("shape_mismatch")


def _factors(p: Penalty, n: int, fmt: Format) -> list[float]:
    if p.penalty_factor is None:
        return [1.0] * n
    if len(p.penalty_factor) != n:
        raise SpecError("shape_mismatch")
    return [to_format(f, fmt) for f in p.penalty_factor]


# Every finite binary64 value is an integer multiple of 2**-1074 (binary32 values are too), so an
# exact product of k of them is an integer multiple of 2**-(k * 1074): a sum of such products is one
# Python integer in those units, whatever the exponents.
_UNIT = 1074


def _units(x: float) -> int:
    """|x| as an integer count of 2**-1074 (x finite)."""
    numerator, denominator = abs(x).as_integer_ratio()  # the denominator is a power of two
    return numerator << (_UNIT - (denominator.bit_length() - 1))


# Long finite arrays take oracle/exact.py's numpy path: the same exact sums, computed faster.
FAST_PATH_MIN_LENGTH = 4096


def _fast(x: Sequence[float]) -> bool:
    return FAST_PATH_MIN_LENGTH <= len(x) <= exact.MAX_LENGTH and exact.all_finite(x)


class _Special:
    """The special-value rule of SPEC §2, decided product by product: NaN wins over +inf."""

    def __init__(self) -> None:
        self.nan = False
        self.inf = False

    def product(self, *factors: float) -> bool:
        """Records a product's special value; True when the product is finite (and so exact)."""
        if any(math.isnan(x) for x in factors):
            self.nan = True
        elif any(math.isinf(x) for x in factors):
            if any(x == 0 for x in factors):
                self.nan = True  # 0 × ∞
            else:
                self.inf = True
        else:
            return True
        return False

    def residual(self, y: float, p: float) -> bool:
        """Records R = (y − p)²'s special value; True when y − p is finite (and so exact)."""
        if math.isnan(y) or math.isnan(p) or (math.isinf(y) and y == p):
            self.nan = True  # NaN in, or ∞ − ∞
        elif math.isinf(y) or math.isinf(p):
            self.inf = True
        else:
            return True
        return False

    def result(self) -> float | None:
        return NAN if self.nan else INF if self.inf else None


def _penalty_sum(p: Penalty, w: Sequence[float], fmt: Format, special: _Special) -> Fraction:
    """Σ f_i·(c1·|w_i| + c2·w_i²) over the finite products, exactly (SPEC §2); the special products
    are recorded in `special`. P1 exists for L1 and ElasticNet, P2 for L2 and ElasticNet."""
    factors = _factors(p, len(w), fmt)
    c1 = to_format(p.coefficient("l1"), fmt)
    c2 = to_format(p.coefficient("l2"), fmt)
    has_p1, has_p2 = p.type in ("l1", "elastic_net"), p.type in ("l2", "elastic_net")
    if _fast(w) and p.penalty_factor is None and math.isfinite(c1) and math.isfinite(c2):
        # Every product is finite here, so no special value: the same exact sum, in numpy integers.
        return Fraction(c1) * exact.abs_sum(w) * has_p1 + Fraction(c2) * exact.square_sum(w) * has_p2
    s1 = 0  # Σ f_i·|w_i| in units of 2**-(2 * 1074), over finite products
    s2 = 0  # Σ f_i·w_i² in units of 2**-(3 * 1074)
    for f, x in zip(factors, w, strict=True):
        if has_p1 and special.product(c1, f, x):
            s1 += _units(f) * _units(x)
        if has_p2 and special.product(c2, f, x, x):
            s2 += _units(f) * _units(x) ** 2
    # An infinite coefficient (a float32 rounding) makes every product of its part special.
    total = Fraction(0)
    if math.isfinite(c1):
        total += Fraction(c1) * Fraction(s1, 1 << 2 * _UNIT)
    if math.isfinite(c2):
        total += Fraction(c2) * Fraction(s2, 1 << 3 * _UNIT)
    return total


def value(p: Penalty, w: Sequence[float], fmt: Format) -> float:
    """RN_F of the exact Σ f_i·(c1·|w_i| + c2·w_i²): one rounding (SPEC §2)."""
    special = _Special()
    exact = _penalty_sum(p, w, fmt, special)
    outcome = special.result()
    return outcome if outcome is not None else round_exact(exact, fmt)


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


def _gradient(p: Penalty, w: Sequence[float], fmt: Format) -> list[float]:
    factors = _factors(p, len(w), fmt)
    if p.type == "l1":
        return _l1_gradient(to_format(p.params["lam"], fmt), factors, w, fmt)
    if p.type == "l2":
        return _l2_gradient(to_format(p.params["lam"], fmt), factors, w, fmt)
    a = _l1_gradient(to_format(p.params["l1"], fmt), factors, w, fmt)
    b = _l2_gradient(to_format(p.params["l2"], fmt), factors, w, fmt)
    return [add(x, y, fmt) for x, y in zip(a, b, strict=True)]


def gradient(p: Penalty, w: Sequence[float], fmt: Format) -> list[float]:
    """SPEC §3's named IEEE steps, then every NaN element canonicalized."""
    return [canonical(g) for g in _gradient(p, w, fmt)]


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
        out.append(canonical(y))
    return out


def loss(
    p: Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    """RN_F((1/n)·Σ(y_i − p_i)² + the value's sum), residuals exact and n exact: one rounding."""
    if len(y_true) != len(y_pred):
        raise SpecError("shape_mismatch")
    if len(y_true) == 0:
        raise SpecError("empty_input")
    if p.penalty_factor is not None and len(p.penalty_factor) != len(w):
        raise SpecError("shape_mismatch")
    special = _Special()
    sse = exact.residual_square_sum(y_true, y_pred) if _fast(y_true) and exact.all_finite(y_pred) else None
    if sse is None:
        units = 0  # Σ (y_i − p_i)² over finite residuals, in units of 2**-(2 * 1074)
        for a, b in zip(y_true, y_pred, strict=True):
            if special.residual(a, b):
                numerator, denominator = (Fraction(a) - Fraction(b)).as_integer_ratio()
                units += (numerator << (_UNIT - (denominator.bit_length() - 1))) ** 2
        sse = Fraction(units, 1 << 2 * _UNIT)
    penalty = _penalty_sum(p, w, fmt, special)
    outcome = special.result()
    if outcome is not None:
        return outcome
    return round_exact(sse / len(y_true) + penalty, fmt)


def l1_regularization(weights: Sequence[float], lambda_: float, fmt: Format) -> float:
    """The seed's helper: exactly L1(lambda_).value(weights), in the weights' format."""
    return value(make_penalty("l1", {"lam": lambda_}), weights, fmt)


# Configuration (SPEC §3, "Configuration").
_CONFIG_KEYS = {"l1": {"lam"}, "l2": {"lam"}, "elastic_net": {"l1", "l2"}}


def _json_number(x: object) -> float:
    # Numbers were already read as binary64 (see _read_json); bool is an int subclass, not a number.
    if not isinstance(x, float):
        raise SpecError("invalid_config")
    return x


def _reject_constant(name: str) -> float:
    raise SpecError("invalid_config")  # NaN and Infinity are not JSON


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise SpecError("invalid_config")  # a duplicate key (SPEC §3)
    return dict(pairs)


def _read_json(text: str) -> object:
    """SPEC §3's JSON reading: every number, integers of any length included, by correctly rounded
    decimal → binary64 conversion of its text (CPython's float() is correctly rounded and returns
    ±inf beyond the range); duplicate keys, NaN/Infinity, and nesting too deep to read are errors."""
    try:
        return json.loads(
            text,
            parse_float=float,
            parse_int=float,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_without_duplicates,
        )
    except (json.JSONDecodeError, RecursionError):
        raise SpecError("invalid_config") from None


def from_config(text: str) -> Penalty:
    data = _read_json(text)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("type"), str)
        or data["type"] not in _CONFIG_KEYS
    ):
        raise SpecError("invalid_config")
    type_ = data["type"]
    keys = set(data) - {"type"}
    required = _CONFIG_KEYS[type_]
    if not required <= keys or not keys <= required | {"penalty_factor"}:
        raise SpecError("invalid_config")
    params = {name: _json_number(data[name]) for name in required}
    factor = None
    if "penalty_factor" in data:
        if not isinstance(data["penalty_factor"], list):
            raise SpecError("invalid_config")
        factor = [_json_number(x) for x in data["penalty_factor"]]
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
