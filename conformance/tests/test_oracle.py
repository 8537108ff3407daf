"""The oracle's arithmetic against independent implementations: the machine's IEEE-754 unit (binary64
through Python floats, binary32 through numpy) and CPython's correctly rounded Fraction → float."""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
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


def test_sum_of_a_big_and_many_small_terms_is_exact() -> None:
    terms = [(1.0,)] + [(2.0**-53,)] * 2
    assert spec.correctly_rounded_sum(terms, ieee.BINARY64) == 1 + 2.0**-52
    assert 1.0 + 2.0**-53 + 2.0**-53 == 1.0  # what a left-to-right loop gets


def test_special_sums() -> None:
    assert math.isnan(spec.correctly_rounded_sum([(0.0, math.inf)], ieee.BINARY64))
    assert spec.correctly_rounded_sum([(1.0, math.inf), (2.0,)], ieee.BINARY64) == math.inf
    assert spec.correctly_rounded_sum([(1e308,), (1e308,)], ieee.BINARY64) == math.inf
    assert same(spec.correctly_rounded_sum([], ieee.BINARY64), 0.0)
