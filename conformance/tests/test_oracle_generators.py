"""The generators of SPEC §6.1 and the oracle's numpy fast path (oracle/exact.py), each checked
against an independent computation: Vigna's splitmix64 outputs and exact Fractions."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle import exact, generators, ieee, spec

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


def test_splitmix64_matches_the_reference_outputs() -> None:
    # The first outputs of Vigna's splitmix64.c seeded with 0.
    expected = ["0xe220a8397b1dcdaf", "0x6e789e6aa1b965f4", "0x6c45d188009454f"]
    assert [hex(int(u)) for u in generators.splitmix64(0, 3)] == expected


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_generated_arrays_have_their_documented_properties(dtype: str) -> None:
    p = 53 if dtype == "float64" else 24
    unit = generators.expand({"generator": "unit", "seed": 3, "n": 5000}, dtype)
    assert unit.dtype == np.dtype(dtype) and len(unit) == 5000
    exponents = np.frexp(unit.astype(np.float64))[1] - 1
    assert exponents.min() == -8 and exponents.max() == 8 and (unit < 0).any() and (unit > 0).any()
    for name, extra in (("tie_abs", 0), ("above_tie_abs", Fraction(1, 2**40))):
        x = generators.expand({"generator": name, "seed": 11, "n": 20001}, dtype).astype(np.float64)
        assert sum((abs(Fraction(v)) for v in x), Fraction(0)) == 2**p + 1 + extra
    with pytest.raises(ValueError):
        generators.expand({"generator": "tie_abs", "seed": 1, "n": 2}, dtype)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(finite, finite), max_size=40))
def test_exact_sums_match_fractions(pairs: list[tuple[float, float]]) -> None:
    x = np.array([a for a, _ in pairs], np.float64)
    y = np.array([b for _, b in pairs], np.float64)
    fx, fy = [Fraction(a) for a in x], [Fraction(b) for b in y]
    assert exact.dot(x, y) == sum((a * b for a, b in zip(fx, fy, strict=True)), Fraction(0))
    assert exact.abs_sum(x) == sum((abs(a) for a in fx), Fraction(0))
    assert exact.square_sum(x) == sum((a * a for a in fx), Fraction(0))
    residual = exact.residual_square_sum(x, y)
    if residual is not None:  # None only when a residual overflows binary64
        assert residual == sum(((a - b) ** 2 for a, b in zip(fx, fy, strict=True)), Fraction(0))
    else:
        assert any(math.isinf(a - b) for a, b in zip(x, y, strict=True))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("type_", ["l1", "l2", "elastic_net"])
def test_fast_path_agrees_with_the_element_by_element_path(
    dtype: str, type_: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fmt = ieee.FORMATS[dtype]
    params = {"l1": 0.3, "l2": 0.7} if type_ == "elastic_net" else {"lam": 0.3}
    p = spec.make_penalty(type_, params)
    w = generators.expand({"generator": "wide", "seed": 5, "n": 300}, dtype).astype(np.float64)
    y = generators.expand({"generator": "unit", "seed": 6, "n": 300}, dtype).astype(np.float64)
    q = generators.expand({"generator": "unit", "seed": 7, "n": 300}, dtype).astype(np.float64)
    slow = (spec.value(p, list(w), fmt), spec.loss(p, list(y), list(q), list(w), fmt))
    monkeypatch.setattr(spec, "FAST_PATH_MIN_LENGTH", 1)
    fast = (spec.value(p, w, fmt), spec.loss(p, y, q, w, fmt))
    assert [ieee.to_bits(v, fmt) for v in fast] == [ieee.to_bits(v, fmt) for v in slow]
