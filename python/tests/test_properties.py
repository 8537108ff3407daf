"""Property tests: the reference against the exact oracle, bit for bit (NaN bits included), on every
magnitude, special values, factors, n-dimensional shapes and both dtypes; and prox's defining laws."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import regpen
from oracle import spec
from oracle.ieee import BINARY64, FORMATS, round_exact

from conftest import bits_equal, oracle_penalty

DTYPES = st.sampled_from([np.dtype(np.float64), np.dtype(np.float32)])
# NaN inputs of every sign and payload (decision B: outputs are canonical whatever came in).
NAN_BITS = {
    np.dtype(np.float64): [0x7FF8000000000000, 0xFFF8000000000000, 0x7FF0000000000001, 0xFFF4000000000123],
    np.dtype(np.float32): [0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFA00123],
}
# Strengths over the whole binary64 range: huge ones round to +inf in float32, tiny ones to 0.
strength = st.one_of(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 5e-324, 1e-45, 3.4028235e38, 3.5e38, 1.7976931348623157e308]),
)


def elements(dtype: np.dtype, specials: bool) -> st.SearchStrategy[float]:
    width = 64 if dtype == np.float64 else 32
    finite = st.floats(allow_nan=False, allow_infinity=False, width=width)
    ordinary = st.floats(-1e3, 1e3, width=width)
    boundary = st.sampled_from(
        [0.0, -0.0, float(np.finfo(dtype).max), float(np.finfo(dtype).smallest_subnormal)]
    )
    choices = [finite, ordinary, boundary]
    if specials:
        nan = st.sampled_from(NAN_BITS[dtype]).map(
            lambda b: np.array(b, dtype=f"u{dtype.itemsize}").view(dtype)
        )
        choices += [st.sampled_from([np.inf, -np.inf]), nan]
    return st.one_of(*choices)


@st.composite
def weights(draw: st.DrawFn, dtype: np.dtype, specials: bool = True, min_size: int = 0) -> np.ndarray:
    shape = draw(
        st.one_of(
            st.tuples(st.integers(min_size, 40)),
            hnp.array_shapes(min_dims=0, max_dims=3, min_side=max(min_size, 1), max_side=4),
        )
    )
    return draw(hnp.arrays(dtype, shape, elements=elements(dtype, specials)))


@st.composite
def penalties(draw: st.DrawFn, size: int) -> regpen.Penalty:
    kind = draw(st.sampled_from(["l1", "l2", "elastic_net"]))
    factor = None
    if draw(st.booleans()):
        factor = draw(st.lists(st.one_of(strength, st.just(0.0)), min_size=size, max_size=size))
    a, b = draw(strength), draw(strength)
    if kind == "elastic_net":
        return regpen.ElasticNet(a, b, penalty_factor=factor)
    return (regpen.L1 if kind == "l1" else regpen.L2)(a, penalty_factor=factor)


@st.composite
def penalty_and_weights(draw: st.DrawFn, specials: bool = True) -> tuple[regpen.Penalty, np.ndarray]:
    w = draw(weights(draw(DTYPES), specials))
    return draw(penalties(w.size)), w


def expected_scalar(value: float, dtype: np.dtype) -> np.floating:
    return np.array(value, dtype=dtype)[()]  # the oracle's NaN is Python's, the canonical one


@settings(max_examples=400, deadline=None)
@given(penalty_and_weights())
def test_value_matches_the_oracle(case: tuple[regpen.Penalty, np.ndarray]) -> None:
    penalty, w = case
    fmt = FORMATS[w.dtype.name]
    expected = expected_scalar(spec.value(oracle_penalty(penalty), w.ravel().tolist(), fmt), w.dtype)
    assert bits_equal(penalty.value(w), expected)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_loss_matches_the_oracle(data: st.DataObject) -> None:
    dtype = data.draw(DTYPES)
    y_true = data.draw(weights(dtype, min_size=1))
    y_pred = data.draw(hnp.arrays(dtype, y_true.shape, elements=elements(dtype, specials=True)))
    w = data.draw(weights(dtype))
    penalty = data.draw(penalties(w.size))
    fmt = FORMATS[dtype.name]
    exact = spec.loss(
        oracle_penalty(penalty), y_true.ravel().tolist(), y_pred.ravel().tolist(), w.ravel().tolist(), fmt
    )
    assert bits_equal(regpen.compute_loss(y_true, y_pred, w, penalty), expected_scalar(exact, dtype))


@settings(max_examples=300, deadline=None)
@given(penalty_and_weights())
def test_gradient_matches_the_oracle(case: tuple[regpen.Penalty, np.ndarray]) -> None:
    penalty, w = case
    expected = spec.gradient(oracle_penalty(penalty), w.ravel().tolist(), FORMATS[w.dtype.name])
    assert bits_equal(penalty.gradient(w), np.array(expected, dtype=w.dtype).reshape(w.shape))


@settings(max_examples=300, deadline=None)
@given(
    penalty_and_weights(), st.one_of(st.floats(0, 10), st.sampled_from([0.0, 1e39, 1.7976931348623157e308]))
)
def test_prox_matches_the_oracle(case: tuple[regpen.Penalty, np.ndarray], step: float) -> None:
    penalty, w = case
    expected = spec.prox(oracle_penalty(penalty), w.ravel().tolist(), step, FORMATS[w.dtype.name])
    assert bits_equal(penalty.prox(w, step), np.array(expected, dtype=w.dtype).reshape(w.shape))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-(2**1100), 2**1100) | st.integers(-(2**60), 2**60), max_size=20), strength)
def test_integers_are_correctly_rounded_float64(integers: list[int], lam: float) -> None:
    """Decision E: ints of any size are RN64 of their value (±inf beyond binary64), as lists and as
    int64 arrays."""
    rounded = [round_exact(Fraction(i), BINARY64) for i in integers]
    expected = expected_scalar(
        spec.value(oracle_penalty(regpen.L1(lam)), rounded, BINARY64), np.dtype(np.float64)
    )
    assert bits_equal(regpen.L1(lam).value(integers), expected)
    if all(-(2**63) <= i < 2**63 for i in integers):
        assert bits_equal(regpen.L1(lam).value(np.array(integers, dtype=np.int64)), expected)


@settings(max_examples=200, deadline=None)
@given(penalty_and_weights(specials=False))
def test_layouts_give_the_same_bits(case: tuple[regpen.Penalty, np.ndarray]) -> None:
    """Decision E: byte order, strides and read-only flags are layout, not value."""
    penalty, w = case
    expected_value, expected_gradient = penalty.value(w), penalty.gradient(w)
    swapped = w.astype(w.dtype.newbyteorder(">" if w.dtype.byteorder != ">" else "<"))
    fortran = np.array(w, order="F")
    strided = np.repeat(w.ravel(), 2)[::2].reshape(w.shape)
    read_only = w.copy()
    read_only.setflags(write=False)
    for layout in (swapped, fortran, strided, read_only):
        assert bits_equal(penalty.value(layout), expected_value)
        assert bits_equal(penalty.gradient(layout), expected_gradient)


bounded = st.floats(min_value=0, max_value=1e6, allow_nan=False)
bounded_penalties = st.one_of(
    st.builds(regpen.L1, bounded),
    st.builds(regpen.L2, bounded),
    st.builds(regpen.ElasticNet, bounded, bounded),
)
moderate = hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(-1e3, 1e3))


@settings(max_examples=200, deadline=None)
@given(bounded_penalties, moderate, st.floats(1e-3, 10))
def test_prox_satisfies_its_optimality_condition(penalty: regpen.Penalty, w: np.ndarray, step: float) -> None:
    """(w − p)/step is a subgradient of the penalty at p = prox(w, step)."""
    p = penalty.prox(w, step)
    g = (w - p) / step
    l1_part = g - 2 * penalty.l2 * p
    tolerance = 1e-9 * (1 + np.abs(w)) / step
    nonzero = p != 0
    assert np.allclose(l1_part[nonzero], penalty.l1 * np.sign(p[nonzero]), atol=tolerance.max(initial=0))
    assert np.all(np.abs(l1_part[~nonzero]) <= penalty.l1 + tolerance[~nonzero])


@settings(max_examples=200, deadline=None)
@given(moderate, bounded, st.floats(1e-3, 10))
def test_moreau_identity_for_l1(w: np.ndarray, lam: float, step: float) -> None:
    """w = prox_{step·g}(w) + step·prox_{g*/step}(w/step); for g = lam·‖·‖₁ the second prox is the
    projection onto the box [−lam, lam]."""
    p = regpen.L1(lam).prox(w, step)
    projection = np.clip(w / step, -lam, lam)
    assert np.allclose(p + step * projection, w, rtol=1e-12, atol=1e-9)
