"""Property tests: the reference against the exact oracle on random inputs, and prox's defining laws."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import regpen
from oracle import spec
from oracle.ieee import FORMATS

finite64 = st.floats(allow_nan=False, allow_infinity=False, width=64)
finite32 = st.floats(allow_nan=False, allow_infinity=False, width=32)
strength = st.floats(min_value=0, max_value=1e6, allow_nan=False)


def arrays(dtype: type, elements: st.SearchStrategy[float]) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(dtype, st.integers(0, 40), elements=elements)


def oracle_penalty(p: regpen.Penalty) -> spec.Penalty:
    factor = None if p.penalty_factor is None else p.penalty_factor.tolist()
    params = {"l1": {"lam": p.l1}, "l2": {"lam": p.l2}, "elastic_net": {"l1": p.l1, "l2": p.l2}}[p.kind]
    return spec.make_penalty(p.kind, params, factor)


penalties = st.one_of(
    st.builds(regpen.L1, strength),
    st.builds(regpen.L2, strength),
    st.builds(regpen.ElasticNet, strength, strength),
)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    unsigned = np.uint64 if a.dtype == np.float64 else np.uint32
    return bool(np.all((a.view(unsigned) == b.view(unsigned)) | (np.isnan(a) & np.isnan(b))))


@settings(max_examples=300, deadline=None)
@given(penalties, st.one_of(arrays(np.float64, finite64), arrays(np.float32, finite32)))
def test_value_and_gradient_match_the_oracle(penalty: regpen.Penalty, w: np.ndarray) -> None:
    fmt = FORMATS[w.dtype.name]
    exact = oracle_penalty(penalty)
    expected_value = np.array([spec.value(exact, w.tolist(), fmt)], dtype=w.dtype)
    assert same_bits(np.array([penalty.value(w)]), expected_value)
    expected_gradient = np.array(spec.gradient(exact, w.tolist(), fmt), dtype=w.dtype)
    assert same_bits(penalty.gradient(w), expected_gradient)


@settings(max_examples=200, deadline=None)
@given(penalties, arrays(np.float64, st.floats(-1e6, 1e6)), st.floats(0, 10))
def test_prox_matches_the_oracle(penalty: regpen.Penalty, w: np.ndarray, step: float) -> None:
    expected = np.array(spec.prox(oracle_penalty(penalty), w.tolist(), step, FORMATS["float64"]))
    assert same_bits(penalty.prox(w, step), expected)


@settings(max_examples=200, deadline=None)
@given(penalties, arrays(np.float64, st.floats(-1e3, 1e3)), st.floats(1e-3, 10))
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
@given(arrays(np.float64, st.floats(-1e3, 1e3)), strength, st.floats(1e-3, 10))
def test_moreau_identity_for_l1(w: np.ndarray, lam: float, step: float) -> None:
    """w = prox_{step·g}(w) + step·prox_{g*/step}(w/step); for g = lam·‖·‖₁ the second prox is the
    projection onto the box [−lam, lam]."""
    p = regpen.L1(lam).prox(w, step)
    projection = np.clip(w / step, -lam, lam)
    assert np.allclose(p + step * projection, w, rtol=1e-12, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(penalties, arrays(np.float64, st.floats(-1e3, 1e3)))
def test_loss_matches_the_oracle(penalty: regpen.Penalty, w: np.ndarray) -> None:
    if w.size == 0:
        return
    y_pred = w[::-1].copy()
    expected = spec.loss(oracle_penalty(penalty), w.tolist(), y_pred.tolist(), w.tolist(), FORMATS["float64"])
    assert same_bits(np.array([regpen.compute_loss(w, y_pred, w, penalty)]), np.array([expected]))
