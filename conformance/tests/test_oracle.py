"""The oracle's arithmetic against independent implementations: the machine's IEEE-754 unit (binary64
through Python floats, binary32 through numpy) and CPython's correctly rounded Fraction → float."""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle import ieee, spec

doubles = st.floats(width=64)
singles = st.floats(width=32)
OPS = [
    (ieee.add, operator.add),
    (ieee.sub, operator.sub),
    (ieee.mul, operator.mul),
    (ieee.div, operator.truediv),
]


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@settings(max_examples=2000, deadline=None)
@given(doubles, doubles)
def test_binary64_operations_match_the_hardware(a: float, b: float) -> None:
    for exact_op, machine_op in OPS:
        try:
            machine = machine_op(a, b)
        except ZeroDivisionError:
            continue  # Python raises where IEEE returns inf or NaN; covered by the binary32 test
        except OverflowError:
            continue
        assert same(exact_op(a, b, ieee.BINARY64), machine), (exact_op.__name__, a, b)


@settings(max_examples=2000, deadline=None)
@given(singles, singles)
def test_binary32_operations_match_the_hardware(a: float, b: float) -> None:
    x, y = np.float32(a), np.float32(b)
    with np.errstate(all="ignore"):
        for exact_op, machine_op in OPS:
            assert same(exact_op(a, b, ieee.BINARY32), float(machine_op(x, y))), (exact_op.__name__, a, b)


@settings(max_examples=2000, deadline=None)
@given(st.fractions(max_denominator=2**1100) | st.builds(Fraction, st.integers(-(2**1100), 2**1100)))
def test_rounding_to_binary64_matches_cpython(q: Fraction) -> None:
    try:
        expected = float(q)
    except OverflowError:
        expected = math.inf if q > 0 else -math.inf
    assert same(ieee.round_exact(q, ieee.BINARY64), expected)


def test_binary32_ties_round_to_even_and_overflow_at_the_midpoint() -> None:
    one_ulp = Fraction(1, 2**23)
    assert ieee.round_exact(1 + one_ulp / 2, ieee.BINARY32) == 1.0
    assert ieee.round_exact(1 + one_ulp * 3 / 2, ieee.BINARY32) == 1 + 2 * float(one_ulp)
    overflow = ieee.BINARY32.max_finite + Fraction(2) ** 103
    assert ieee.round_exact(overflow, ieee.BINARY32) == math.inf
    assert ieee.round_exact(overflow - Fraction(1, 2**200), ieee.BINARY32) == float(ieee.BINARY32.max_finite)
    assert ieee.round_exact(Fraction(1, 2**150), ieee.BINARY32) == 0.0  # a tie with zero: even
    assert ieee.round_exact(Fraction(3, 2**151), ieee.BINARY32) == 2.0**-149


def _f64(x: float | str) -> float:
    return float(x)


L1 = lambda lam, factor=None: spec.make_penalty("l1", {"lam": lam}, factor)  # noqa: E731
L2 = lambda lam, factor=None: spec.make_penalty("l2", {"lam": lam}, factor)  # noqa: E731
EN = lambda l1, l2, factor=None: spec.make_penalty("elastic_net", {"l1": l1, "l2": l2}, factor)  # noqa: E731
B64, B32 = ieee.BINARY64, ieee.BINARY32


def bits64(x: float) -> int:
    return ieee.to_bits(x, B64)


def test_a_big_and_many_small_terms_round_once() -> None:
    assert spec.value(L1(1.0), [1.0, 2.0**-53, 2.0**-53], B64) == 1 + 2.0**-52
    assert 1.0 + 2.0**-53 + 2.0**-53 == 1.0  # what a left-to-right loop gets
    # [1, 2^-53, 2^-160]: just above the tie, so the exact sum rounds up; Neumaier's hi + lo does not.
    assert spec.value(L1(1.0), [1.0, 2.0**-53, 2.0**-160], B64) == 1 + 2.0**-52


def test_issue_9_examples() -> None:
    assert spec.value(L2(1e-100), [1e155], B64) == ieee.round_exact(
        Fraction(1e-100) * Fraction(1e155) ** 2, B64
    )
    assert spec.value(EN(1.0, 0.0), [1e200], B64) == 1e200
    assert math.isnan(spec.value(EN(1.0, 0.0), [math.inf], B64))
    assert math.isnan(spec.value(L1(0.0), [math.inf], B64))
    assert spec.value(L1(1.0), [math.inf], B64) == math.inf
    y = [1e154] * 4
    expected = ieee.round_exact(Fraction(1e154) ** 2, B64)
    assert spec.loss(L1(0.5), y, [0.0] * 4, [], B64) == expected
    assert spec.loss(L1(0.5), y, [0.0] * 4, [], B64) < math.inf


def test_float32_rounds_the_exact_value_once_not_twice() -> None:
    lam = 0.1  # lam32 = RN32(0.1)
    w = [1.0, 2.0**-24]
    lam32 = ieee.to_format(lam, B32)
    exact = Fraction(lam32) * (1 + Fraction(1, 2**24))
    assert spec.value(L1(lam), w, B32) == ieee.round_exact(exact, B32)


def test_special_values_are_decided_per_product() -> None:
    assert math.isnan(spec.value(L1(1.0, [0.0, 1.0]), [math.inf, 1.0], B64))  # 0·∞
    assert spec.value(L1(1.0, [2.0, 1.0]), [math.inf, 1.0], B64) == math.inf
    assert math.isnan(spec.value(L1(1e39), [1.0, 0.0], B32))  # lam32 = ∞ times |0|
    assert spec.value(L1(1e39), [1.0, 2.0], B32) == math.inf
    assert math.isnan(spec.value(L2(1.0, [1e39, 1.0]), [0.0, 2.0], B32))  # factor32 = ∞ times 0
    assert math.isnan(spec.value(L1(1.0), [math.inf, math.nan], B64))  # NaN wins over +inf
    assert same(spec.value(L1(1.0), [], B64), 0.0)
    assert same(spec.value(L1(1.0), [-0.0], B64), 0.0)  # never −0
    assert spec.value(L1(1.0), [1e308, 1e308], B64) == math.inf
    midpoint = Fraction(2) ** 1024 - Fraction(2) ** 970
    assert spec.value(L1(1.0), [float(ieee.BINARY64.max_finite), 2.0**970], B64) == math.inf
    below = [float(ieee.BINARY64.max_finite), 2.0**969, 2.0**968]  # exact sum just below the midpoint
    assert sum(Fraction(x) for x in below) < midpoint
    assert spec.value(L1(1.0), below, B64) == float(ieee.BINARY64.max_finite)


def test_loss_residuals_and_n_are_exact() -> None:
    assert math.isnan(spec.loss(L1(1.0), [math.inf], [math.inf], [], B64))  # ∞ − ∞
    assert spec.loss(L1(1.0), [math.inf], [-math.inf], [], B64) == math.inf
    y, p = [1.0], [2.0**-80]  # the rounded residual is 1, the exact one is not
    exact = (1 - Fraction(2) ** -80) ** 2
    assert spec.loss(L1(0.0), y, p, [], B64) == ieee.round_exact(exact, B64)
    # n = 3: SSE/3 rounded once, not fl(RN(SSE) / 3).
    y3 = [1.0, 2.0**-60, 0.0]
    exact3 = (1 + Fraction(2) ** -120) / 3
    assert spec.loss(L2(0.0), y3, [0.0] * 3, [], B64) == ieee.round_exact(exact3, B64)
    with pytest.raises(spec.SpecError, match="empty_input"):
        spec.loss(L1(1.0, [1.0]), [], [], [1.0, 2.0], B64)


def test_nan_outputs_are_canonical_whatever_the_input_nan() -> None:
    for fmt, bits in ((B64, 0xFFF000000000DEAD), (B32, 0xFF800BAD)):
        x = ieee.from_bits(bits, fmt)
        assert ieee.to_bits(x, fmt) == bits  # inputs keep their payload
        canonical = ieee.to_bits(ieee.NAN, fmt)
        assert canonical == (0x7FF8000000000000 if fmt is B64 else 0x7FC00000)
        assert ieee.to_bits(spec.value(L1(1.0), [x], fmt), fmt) == canonical
        for out in spec.gradient(EN(1.0, 1.0), [x, -1.0], fmt) + spec.prox(EN(1.0, 1.0), [x], 0.5, fmt):
            if math.isnan(out):
                assert ieee.to_bits(out, fmt) == canonical
        # −c_i for a NaN c_i (lam32 = ∞, factor 0) is still output canonical.
        grad = spec.gradient(L1(1e39, [0.0]), [-1.0], B32)
        assert ieee.to_bits(grad[0], B32) == 0x7FC00000


def test_prox_step_edges_follow_the_named_steps() -> None:
    assert all(math.isnan(x) for x in spec.prox(L1(1e39), [1.0, -2.0, 0.0], 0.0, B32))
    assert [bits64(x) for x in spec.prox(L1(0.5), [1.0, -2.0], 1e39, B32)] == [0, 1 << 63]
    assert all(math.isnan(x) for x in spec.prox(L1(0.0), [1.0], 1e39, B32))


def test_element_types() -> None:
    assert spec.elements([9007199254740993, -3], "int64") == [9007199254740992.0, -3.0]
    assert spec.working_format(["int64", "float64"]) is B64
    for bad in (["int64", "float32"], ["float64", "float32"], ["bool"]):
        with pytest.raises(spec.SpecError, match="invalid_dtype"):
            spec.working_format(bad)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"type": "l1", "lam": 1, "lam": 1}', "invalid_config"),
        ('{"type": ["l1"], "lam": 1}', "invalid_config"),
        ("[" * 100000 + "]" * 100000, "invalid_config"),
        ('{"type": "l1", "lam": ' + "9" * 5000 + "}", "invalid_lambda"),
        ('{"type": "l1", "lam": true}', "invalid_config"),
        ('{"type": "l2", "lam": 1, "penalty_factor": [1e999]}', "invalid_penalty_factor"),
    ],
)
def test_config_errors(text: str, code: str) -> None:
    with pytest.raises(spec.SpecError, match=code):
        spec.from_config(text)


def test_config_numbers_are_correctly_rounded() -> None:
    assert spec.from_config('{"type": "l1", "lam": 9007199254740993}').params["lam"] == 2.0**53
    assert spec.from_config('{"type": "l1", "lam": 9007199254740995}').params["lam"] == 2.0**53 + 4
    assert spec.from_config('{"type": "l2", "lam": 1, "penalty_factor": []}').penalty_factor == ()
    below = str(2**1024 - 2**970 - 1)
    assert spec.from_config('{"type": "l1", "lam": ' + below + "}").params["lam"] == float(B64.max_finite)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(doubles, max_size=6),
    st.floats(0, 1e10),
    st.floats(0, 1e10),
    st.sampled_from(["l1", "l2", "elastic_net"]),
)
def test_value_is_the_exact_formula_rounded_once(w: list[float], a: float, b: float, type_: str) -> None:
    """An independent re-derivation of SPEC §2 on Fractions, special values included."""
    p = {"l1": L1(a), "l2": L2(b), "elastic_net": EN(a, b)}[type_]
    c1 = a if type_ != "l2" else None
    c2 = b if type_ != "l1" else None
    products: list[tuple[float, ...]] = []
    for x in w:
        if c1 is not None:
            products.append((c1, abs(x)))
        if c2 is not None:
            products.append((c2, x, x))
    got = spec.value(p, w, B64)
    if any(any(math.isnan(f) for f in q) or (any(math.isinf(f) for f in q) and 0 in q) for q in products):
        assert ieee.to_bits(got, B64) == 0x7FF8000000000000
    elif any(math.isinf(f) for q in products for f in q):
        assert got == math.inf
    else:
        exact = sum((math.prod((Fraction(f) for f in q), start=Fraction(1)) for q in products), Fraction(0))
        assert same(got, ieee.round_exact(exact, B64)) and math.copysign(1, got) == 1
