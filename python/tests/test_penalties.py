"""Unit tests of the reference API: dtype rules, shapes, every error code, configuration, conversions."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from fractions import Fraction

import numpy as np
import pytest

import regpen
from oracle import spec
from oracle.ieee import BINARY32, BINARY64, round_exact

from conftest import CANONICAL_NAN, bits_equal, oracle_penalty


def test_seed_example() -> None:
    weights = np.array([0.5, -0.3, 0.0, 1.2])
    assert regpen.l1_regularization(weights, 0.01) == np.float64(0.02)
    assert regpen.L1(0.01).value(weights) == regpen.l1_regularization(weights, 0.01)


def test_float32_stays_float32() -> None:
    w = np.array([0.5, -0.25, 2.0], dtype=np.float32)
    penalty = regpen.ElasticNet(0.1, 0.2)
    assert penalty.value(w).dtype == np.float32
    assert penalty.gradient(w).dtype == np.float32
    assert penalty.prox(w, 0.5).dtype == np.float32
    assert regpen.compute_loss(w, w, w, penalty).dtype == np.float32


def test_integers_are_float64_correctly_rounded() -> None:
    """Decision E: ints of any size and numpy integer arrays are numbers, rounded once to binary64
    (±inf beyond its range, never OverflowError)."""
    p = regpen.L1(1.0)
    assert bits_equal(p.value(np.arange(4)), p.value(np.arange(4.0)))
    assert bits_equal(p.value(np.array([3], dtype=np.uint8)), np.float64(3.0))
    assert p.value([2**53 + 1]) == 2.0**53  # a tie, to even
    assert p.value([2**53 + 3]) == 2.0**53 + 4
    assert p.value([-(2**53) - 1, 1]) == 2.0**53  # RN64(2**53 + 1) = 2**53, then 2**53 + 1 rounds to even
    assert p.value(np.array([2**63 - 1], dtype=np.int64)) == 2.0**63
    assert p.value([10**400]) == np.inf and p.value(10**400) == np.inf
    assert p.value([-(10**400), 1]) == np.inf
    assert p.value([[1, 2], [3, 4]]) == 10.0
    assert regpen.L2(0.5).gradient([1, -2]).dtype == np.float64
    # Integers count as float64 for the loss's one-dtype rule.
    assert regpen.compute_loss([1, 2], np.array([1.0, 4.0]), np.array([3]), regpen.L1(1.0)) == 5.0
    with pytest.raises(regpen.InvalidDtypeError):
        regpen.compute_loss([1, 2], np.array([1.0, 4.0], np.float32), np.array([3]), regpen.L1(1.0))


def test_lists_scalars_strided_and_read_only_inputs() -> None:
    penalty = regpen.L2(0.5)
    base = np.arange(10, dtype=np.float64)
    strided = base[::3]
    read_only = strided.copy()
    read_only.setflags(write=False)
    assert penalty.value(strided) == penalty.value(read_only) == penalty.value(strided.tolist())
    assert penalty.value(3.0) == np.float64(4.5)
    np.testing.assert_array_equal(penalty.gradient(strided), 2 * 0.5 * strided)
    matrix = base.reshape(2, 5)
    assert penalty.gradient(matrix).shape == (2, 5)
    assert penalty.value(matrix) == penalty.value(base)


def test_subgradient_is_zero_at_zero_and_keeps_sign_elsewhere() -> None:
    g = regpen.L1(0.25).gradient(np.array([-0.0, 0.0, -3.0, 2.0]))
    assert g.tolist() == [0.0, 0.0, -0.25, 0.25]
    assert not np.signbit(g[0])


def test_penalty_factor_leaves_intercept_unpenalized() -> None:
    penalty = regpen.L1(1.0, penalty_factor=[0.0, 1.0])
    assert penalty.value([100.0, -2.0]) == 2.0
    assert penalty.prox([100.0, -2.0], 0.5).tolist() == [100.0, -1.5]


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), -float("inf")])
def test_invalid_lambda(bad: float) -> None:
    for make in (lambda: regpen.L1(bad), lambda: regpen.L2(bad), lambda: regpen.ElasticNet(0.1, bad)):
        with pytest.raises(regpen.InvalidLambdaError) as caught:
            make()
        assert caught.value.code == "invalid_lambda"
        assert isinstance(caught.value, ValueError)


def test_negative_zero_strength_is_stored_as_positive_zero() -> None:
    assert not np.signbit(regpen.L1(-0.0).lam)


@pytest.mark.parametrize("bad", [-0.5, float("nan"), float("inf")])
def test_invalid_step(bad: float) -> None:
    with pytest.raises(regpen.InvalidStepError) as caught:
        regpen.L1(0.1).prox([1.0], bad)
    assert caught.value.code == "invalid_step"


def test_shape_mismatch_and_empty_input() -> None:
    with pytest.raises(regpen.ShapeMismatchError):
        regpen.L1(0.1, penalty_factor=[1.0, 1.0]).value([1.0])
    with pytest.raises(regpen.ShapeMismatchError):
        regpen.compute_loss([1.0, 2.0], [1.0], [], regpen.L1(0.1))
    with pytest.raises(regpen.EmptyInputError) as caught:
        regpen.compute_loss([], [], [1.0], regpen.L1(0.1))
    assert caught.value.code == "empty_input"
    # An empty factor list is valid: it matches only an empty w (decision D).
    assert bits_equal(regpen.L1(0.1, penalty_factor=[]).value([]), np.float64(0.0))
    with pytest.raises(regpen.ShapeMismatchError):
        regpen.L1(0.1, penalty_factor=[]).value([1.0])


def test_loss_checks_in_the_spec_order() -> None:
    """Decision D: dtypes, then y_true vs y_pred, then n > 0, then the factors against w."""
    factored = regpen.L1(0.1, penalty_factor=[1.0, 1.0])
    with pytest.raises(regpen.InvalidDtypeError):
        regpen.compute_loss(["a"], [1.0, 2.0], [], factored)
    with pytest.raises(regpen.ShapeMismatchError):
        regpen.compute_loss([1.0], [1.0, 2.0], [1.0], factored)
    with pytest.raises(regpen.EmptyInputError):  # before the factors' mismatch with w
        regpen.compute_loss([], [], [1.0], factored)
    with pytest.raises(regpen.ShapeMismatchError):
        regpen.compute_loss([1.0], [1.0], [1.0], factored)
    with pytest.raises(regpen.ShapeMismatchError):  # same size, different shapes (decision F)
        regpen.compute_loss(np.ones((2, 3)), np.ones((3, 2)), [1.0], regpen.L1(0.1))


def test_prox_checks_in_the_spec_order() -> None:
    factored = regpen.L1(0.1, penalty_factor=[1.0, 1.0])
    with pytest.raises(regpen.InvalidDtypeError):
        factored.prox(["a"], -1.0)
    with pytest.raises(regpen.InvalidStepError):
        factored.prox([1.0], -1.0)
    with pytest.raises(regpen.ShapeMismatchError):
        factored.prox([1.0], 1.0)


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1j]),
        ["a"],
        [True],
        [1.0, True],
        np.array([True, False]),
        np.bool_(True),
        "1.0",
        b"1.0",
        None,
        [None],
        [1.0, 1j],
        np.array([1.0], dtype=np.float16),
        [np.float16(1.0)],
        np.array([1.0], dtype=object),
        np.array(["1.0"]),
        [[1.0], [1.0, 2.0]],  # ragged: numpy cannot make a float array of it
        [[1.0], 2.0],
        {1.0: 2.0},
    ],
)
def test_invalid_dtype_is_a_type_error(bad: object) -> None:
    with pytest.raises(regpen.InvalidDtypeError) as caught:
        regpen.L1(0.1).value(bad)
    assert caught.value.code == "invalid_dtype"
    assert isinstance(caught.value, TypeError)


def test_mixed_dtypes_in_loss() -> None:
    with pytest.raises(regpen.InvalidDtypeError):
        regpen.compute_loss(np.ones(2), np.ones(2), np.ones(2, dtype=np.float32), regpen.L1(0.1))


def test_invalid_penalty_factor() -> None:
    with pytest.raises(regpen.InvalidPenaltyFactorError) as caught:
        regpen.L2(0.1, penalty_factor=[1.0, -1.0])
    assert caught.value.code == "invalid_penalty_factor"


@pytest.mark.parametrize(
    "penalty",
    [
        regpen.L1(0.1),
        regpen.L2(1 / 3),
        regpen.ElasticNet(5e-324, 1.7976931348623157e308),
        regpen.L2(2.0, penalty_factor=[0, 1.5]),
    ],
)
def test_config_round_trip(penalty: regpen.Penalty) -> None:
    assert regpen.from_json(penalty.to_json()) == penalty
    assert regpen.from_config(json.loads(penalty.to_json())) == penalty


@pytest.mark.parametrize(
    "text", ["{", '{"type": "l1"}', '{"type": "l1", "lam": NaN}', '{"type": "l9", "lam": 1}']
)
def test_invalid_config(text: str) -> None:
    with pytest.raises(regpen.InvalidConfigError) as caught:
        regpen.from_json(text)
    assert caught.value.code == "invalid_config"


def test_conversions_match_the_worked_examples_in_the_spec() -> None:
    assert regpen.from_sklearn(0.1, 0.5) == regpen.ElasticNet(0.1, 0.05)
    assert regpen.from_glmnet(0.1, 0.5) == regpen.from_sklearn(0.1, 0.5)
    assert regpen.from_keras(0.01, 0.02) == regpen.ElasticNet(0.01, 0.02)
    assert regpen.from_torch_weight_decay(0.01) == regpen.L2(0.005)
    with pytest.raises(regpen.InvalidLambdaError):
        regpen.from_sklearn(0.1, 1.5)


def test_sklearn_objective_is_half_the_regpen_objective() -> None:
    """The converted penalty gives regpen's objective = 2 x scikit-learn's, at any point."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((20, 3))
    y = rng.standard_normal(20)
    alpha, l1_ratio = 0.3, 0.4
    penalty = regpen.from_sklearn(alpha, l1_ratio)
    for w in rng.standard_normal((5, 3)):
        residual = y - x @ w
        sklearn_objective = (
            residual @ residual / (2 * len(y))
            + alpha * l1_ratio * np.abs(w).sum()
            + 0.5 * alpha * (1 - l1_ratio) * w @ w
        )
        regpen_objective = regpen.compute_loss(y, x @ w, w, penalty)
        assert regpen_objective == pytest.approx(2 * sklearn_objective, rel=1e-12)


def test_torch_weight_decay_gradient_matches() -> None:
    w = np.array([0.5, -2.0, 3.0])
    assert np.array_equal(regpen.from_torch_weight_decay(0.25).gradient(w), 0.25 * w)


# ---- immutability (issue 12 item 1, issue 14 §4)


@pytest.mark.parametrize("name", ["lam", "l1", "l2", "penalty_factor", "kind", "other"])
def test_penalties_are_immutable(name: str) -> None:
    p = regpen.L1(0.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(p, name, -5)
    with pytest.raises(AttributeError):
        delattr(p, name)
    assert p.lam == p.l1 == 0.1
    assert p.value([0.5, -0.3, 0.0, 1.2]) == regpen.L1(0.1).value([0.5, -0.3, 0.0, 1.2])
    assert not hasattr(p, "__dict__")  # slotted: no hidden place for a stray attribute


def test_factors_cannot_be_changed_in_place() -> None:
    source = np.array([1.0, 2.0])
    p = regpen.L2(0.5, penalty_factor=source)
    source[0] = -1.0  # the caller's array is copied
    assert p.penalty_factor is not None and p.penalty_factor.tolist() == [1.0, 2.0]
    with pytest.raises(ValueError):
        p.penalty_factor[0] = -1.0
    with pytest.raises(ValueError):
        p.penalty_factor.setflags(write=True)


def test_equality_and_hash_agree() -> None:
    a = regpen.ElasticNet(0.1, 0.2, penalty_factor=[1, 0.5])
    b = regpen.ElasticNet(0.1, 0.2, penalty_factor=np.array([1.0, 0.5], dtype=np.float32))
    assert a == b and hash(a) == hash(b)
    assert len({a, b, regpen.ElasticNet(0.1, 0.2, penalty_factor=[1.0, 0.25])}) == 2
    assert regpen.L1(0.0) != regpen.L2(0.0) != regpen.ElasticNet(0.0, 0.0)
    assert regpen.L1(-0.0) == regpen.L1(0.0) and hash(regpen.L1(-0.0)) == hash(regpen.L1(0.0))
    assert regpen.L1(0.1) != regpen.L1(0.1, penalty_factor=[1.0])
    assert regpen.L1(0.1).__eq__("l1") is NotImplemented


def test_copies_and_pickles_rebuild_through_the_constructor() -> None:
    p = regpen.ElasticNet(0.1, 0.2, penalty_factor=[1.0, 0.0])
    for clone in (copy.copy(p), copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert clone == p and type(clone) is type(p)
        assert clone.penalty_factor is not None and not clone.penalty_factor.flags.writeable


# ---- errors: never a bare exception, always the spec's code (decision D, issue 12 item 4)


@pytest.mark.parametrize(
    "text",
    [
        '{"type": ["l1"], "lam": 0.1}',
        '{"type": {"l1": 1}, "lam": 0.1}',
        '{"type": "l1", "lam": 0.1, "lam": 0.2}',
        '{"type": "l1", "type": "l1", "lam": 0.1}',
        '{"type": "l1", "lam": true}',
        '{"type": "l1", "lam": "0.1"}',
        '{"type": "l1", "lam": 0.1, "penalty_factor": null}',
        '{"type": "l1", "lam": 0.1, "penalty_factor": [true]}',
        '{"type": "l1", "lam": 0.1, "penalty_factor": [[1.0]]}',
        '{"type": "l1", "lam": Infinity}',
        '{"type": "l1", "lam": 0.1, "extra": 1}',
        "[1.0]",
        '"l1"',
        "",
        "[" * 993 + "]" * 993,
        '{"type": "l1", "lam": 0.1, "penalty_factor": ' + "[" * 993 + "]" * 993 + "}",
        "[" * 100_000,
        '{"a": ' * 100_000 + "1" + "}" * 100_000,
        b"\xff\xfe\x00",
    ],
)
def test_bad_configs_are_invalid_config(text: str | bytes) -> None:
    with pytest.raises(regpen.InvalidConfigError) as caught:
        regpen.from_json(text)
    assert caught.value.code == "invalid_config"


@pytest.mark.parametrize("bad", [None, 1.0, ["{}"], {"type": "l1", "lam": 0.1}])
def test_from_json_of_something_that_is_not_text(bad: object) -> None:
    with pytest.raises(regpen.InvalidConfigError):
        regpen.from_json(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, "l1", [("type", "l1")], {"type": ["l1"], "lam": 0.1}, {"type": None}])
def test_from_config_of_something_that_is_not_a_config(bad: object) -> None:
    with pytest.raises(regpen.InvalidConfigError):
        regpen.from_config(bad)  # type: ignore[arg-type]


def test_json_numbers_are_read_from_their_text_correctly_rounded() -> None:
    assert regpen.from_json('{"type": "l1", "lam": 9007199254740993}').lam == 2.0**53
    assert regpen.from_json('{"type": "l2", "lam": 1e-400}').lam == 0.0
    assert regpen.from_json('{"type": "l1", "lam": -0}').lam == 0.0
    digits = "1" * 5000  # beyond Python's int-to-text digit limit: the limit must not surface
    big = regpen.from_json('{"type": "l1", "lam": 0.' + digits + "}")
    assert big.lam == float("0." + digits)
    with pytest.raises(regpen.InvalidLambdaError):  # rounds to +inf, then the constructor rejects it
        regpen.from_json('{"type": "l1", "lam": ' + digits + "}")
    with pytest.raises(regpen.InvalidPenaltyFactorError):
        regpen.from_json('{"type": "l1", "lam": 1, "penalty_factor": [' + digits + "]}")
    with pytest.raises(regpen.InvalidLambdaError):
        regpen.from_config({"type": "l1", "lam": 10**400})


@pytest.mark.parametrize(
    "make",
    [
        lambda: regpen.L1(10**400),
        lambda: regpen.L2(-(10**400)),
        lambda: regpen.ElasticNet(0.1, 10**400),
        lambda: regpen.from_sklearn(alpha=10**400),
        lambda: regpen.from_glmnet(10**400, 0.5),
        lambda: regpen.from_keras(10**400, 0.0),
        lambda: regpen.from_torch_weight_decay(10**400),
    ],
)
def test_huge_integer_parameters_are_invalid_lambda_not_overflow(make) -> None:
    with pytest.raises(regpen.InvalidLambdaError):
        make()


def test_integer_parameters_are_correctly_rounded() -> None:
    assert regpen.L1(2**53 + 1).lam == 2.0**53
    assert regpen.L1(Fraction(1, 3)).lam == 1 / 3
    with pytest.raises(regpen.InvalidDtypeError):
        regpen.L1(True)
    with pytest.raises(regpen.InvalidDtypeError):
        regpen.L1(0.1).prox([1.0], True)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: regpen.L1(-5.0), ["lam", "-5.0", ">= 0"]),
        (lambda: regpen.ElasticNet(0.1, float("nan")), ["l2", "nan", "finite"]),
        (lambda: regpen.L2(0.1, penalty_factor=[1.0, -2.0]), ["penalty_factor", "-2.0", ">= 0", "index 1"]),
        (lambda: regpen.L1(0.1).prox([1.0], -0.5), ["step", "-0.5", ">= 0"]),
        (lambda: regpen.L1(0.1, penalty_factor=[1.0, 2.0]).value([1.0]), ["penalty_factor", "2", "w has 1"]),
        (lambda: regpen.L1(0.1).value(["x"]), ["w", "'x'", "str"]),
        (lambda: regpen.L1(0.1).value([[1.0], [1.0, 2.0]]), ["w", "ragged", "[1, 2]"]),
        (lambda: regpen.from_json('{"type": "l1", "lam": true}'), ["lam", "True", "JSON number"]),
        (lambda: regpen.from_json('{"type": "l1", "lam": 1, "lam": 2}'), ["lam", "more than once"]),
        (lambda: regpen.from_json('{"type": ["l1"]}'), ["type", "['l1']", "one of"]),
        (lambda: regpen.from_sklearn(0.1, 1.5), ["l1_ratio", "1.5", "[0, 1]"]),
    ],
)
def test_messages_name_the_parameter_the_value_and_the_rule(make, words: list[str]) -> None:
    with pytest.raises(regpen.RegpenError) as caught:
        make()
    message = str(caught.value)
    assert message.startswith(f"[{caught.value.code}] ")
    for word in words:
        assert word in message


# ---- values: the exact value rounded once (decision A), canonical NaN (decision B)


def exact(value: Fraction, dtype: type = np.float64) -> np.floating:
    """The oracle's rounding of an exact rational to dtype."""
    return dtype(round_exact(value, BINARY64 if dtype is np.float64 else BINARY32))


def test_decision_a_examples() -> None:
    assert bits_equal(regpen.L2(1e-100).value([1e155]), exact(Fraction(1e-100) * Fraction(1e155) ** 2))
    assert bits_equal(regpen.ElasticNet(1, 0).value([1e200]), np.float64(1e200))
    assert np.isnan(regpen.ElasticNet(1, 0).value([np.inf]))
    assert np.isnan(regpen.L1(0).value([np.inf]))
    assert regpen.L1(1).value([np.inf]) == np.inf
    y = [1e154] * 4
    assert bits_equal(regpen.compute_loss(y, [0.0] * 4, []), exact(Fraction(1e154) ** 2))
    # A float32 factor that rounds to +inf, paired with w = 0: inf × 0 is NaN.
    w32 = np.array([0.0, 1.0], dtype=np.float32)
    assert np.isnan(regpen.L1(1.0, penalty_factor=[1e39, 1.0]).value(w32))
    assert regpen.L1(1.0, penalty_factor=[1.0, 1e39]).value(w32) == np.inf
    assert regpen.L1(1e39).value(np.array([], dtype=np.float32)) == 0.0  # no products at all
    assert not np.signbit(regpen.L1(1.0).value([-0.0]))


def test_one_rounding_kills_the_near_misses() -> None:
    """Inputs on which the usual near misses (issue 9 §3) give another last bit."""
    # Neumaier/Kahan lose the 2**-160 that decides the tie.
    assert regpen.L1(1.0).value([1.0, 2.0**-53, 2.0**-160]) == 1.0 + 2.0**-52
    # float32 computed in binary64 and then cast rounds twice: 1 + 2**-24 + 2**-60 is above the tie.
    w32 = np.array([1.0, 2.0**-24, 2.0**-60], dtype=np.float32)
    assert bits_equal(regpen.L1(1.0).value(w32), np.float32(1.0 + 2.0**-23))
    # The spec-1.0 fl(lam × RN(S)) rounds twice: 0.1 × (1 + 2**-52 + 2**-53).
    w = [1.0, 2.0**-52, 2.0**-53]
    assert bits_equal(regpen.L1(0.1).value(w), exact(Fraction(0.1) * sum(map(Fraction, w))))
    # Rounded factor products: 0.1 × 3 three times is not 3 × fl(0.1 × 3).
    assert bits_equal(regpen.L1(1.0, penalty_factor=[0.1] * 3).value([3.0] * 3), exact(Fraction(0.1) * 9))
    # A rounded residual: 1 − 2**-60 is not representable; its square's low bits count.
    loss = regpen.compute_loss([1.0, 1.0], [2.0**-60, 0.0], [])
    assert bits_equal(loss, exact(((1 - Fraction(2) ** -60) ** 2 + 1) / 2))
    # Overflow only at the exact threshold (largest finite + half an ulp).
    big = float(np.finfo(np.float64).max)
    assert regpen.L1(1.0).value([big, 2.0**969, 2.0**968, 2.0**967]) == big
    assert regpen.L1(1.0).value([big, 2.0**970]) == np.inf
    assert regpen.compute_loss([1e308, 1e308], [-1e308, -1e308], [], None) == np.inf


def nan_with_bits(bits: int, dtype: type) -> np.ndarray:
    unsigned = np.uint64 if dtype is np.float64 else np.uint32
    return np.array([bits], dtype=unsigned).view(dtype)


@pytest.mark.parametrize(
    ("dtype", "bits"),
    [(np.float64, 0xFFF8000000000001), (np.float64, 0x7FF0000000000001), (np.float32, 0xFFC00001)],
)
def test_every_nan_output_is_canonical(dtype: type, bits: int) -> None:
    nan = nan_with_bits(bits, dtype)
    canonical = nan_with_bits(CANONICAL_NAN[np.dtype(dtype).name], dtype)
    w = np.concatenate([nan, np.array([1.0, -np.inf, 0.0], dtype=dtype)])
    for p in (regpen.L1(0.5), regpen.L2(0.5), regpen.ElasticNet(0.5, 0.0)):
        assert bits_equal(p.value(w), canonical[0])
        assert bits_equal(p.gradient(w)[:1], canonical)
        assert bits_equal(p.prox(w, 0.5)[:1], canonical)
        assert bits_equal(regpen.compute_loss(w, w, w, p), canonical[0])
    assert bits_equal(regpen.l1_regularization(w, 0.5), canonical[0])
    # NaNs made by the operation itself (0 × inf) are canonical too.
    assert bits_equal(regpen.L2(0.0).gradient(np.array([np.inf], dtype=dtype)), canonical)
    assert bits_equal(regpen.L1(0.0).value(np.array([-np.inf], dtype=dtype)), canonical[0])


def test_float32_parameters_beyond_binary32() -> None:
    """Decision C: step and lam round to +inf in float32; the named IEEE steps decide the rest."""
    w = np.array([1.5, -2.0, 0.0], dtype=np.float32)
    assert bits_equal(regpen.L1(1.0).prox(w, 1e39), np.array([0.0, -0.0, 0.0], dtype=np.float32))
    assert np.isnan(regpen.L1(0.0).prox(w, 1e39)).all()
    assert np.isnan(regpen.L1(1e39).prox(w, 0.0)).all()  # step 0 × lam inf


def test_l1_regularization_keeps_float32() -> None:
    w = np.array([0.5, -0.25], dtype=np.float32)
    got = regpen.l1_regularization(w, 0.1)
    assert isinstance(got, np.float32) and bits_equal(got, regpen.L1(0.1).value(w))
    assert isinstance(regpen.l1_regularization([1, 2], 0.5), np.float64)


# ---- layouts and shapes (decisions E and F)


def test_layouts_are_values() -> None:
    rng = np.random.default_rng(4)
    base = rng.standard_normal((6, 5))
    p = regpen.ElasticNet(0.3, 0.2, penalty_factor=rng.uniform(0, 2, 30))
    expected = p.value(base)
    big_endian = base.astype(">f8")
    assert bits_equal(p.value(big_endian), expected)
    assert bits_equal(p.gradient(big_endian), p.gradient(base))
    assert p.gradient(big_endian).dtype.isnative
    assert bits_equal(p.value(np.asfortranarray(base)), expected)  # C order is logical order
    assert bits_equal(p.value(np.ascontiguousarray(base.T).T), expected)
    q = regpen.L2(0.5)
    column = base[:, 2]
    for view in (column, base[::-1, 2][::-1], np.broadcast_to(column[0], (6,))):
        assert bits_equal(q.value(view), q.value(np.array(view)))
        assert bits_equal(q.prox(view, 0.5), q.prox(np.array(view), 0.5))


def test_n_dimensional_weights() -> None:
    w = np.arange(-3.0, 3.0).reshape(2, 3)
    factor = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    p = regpen.L1(1.0, penalty_factor=factor)
    assert p.value(w) == p.value(w.ravel()) == 0 * 3 + 1 * 2 + 2 * 1 + 0 + 4 * 1 + 5 * 2
    assert p.gradient(w).shape == (2, 3) and p.prox(w, 0.1).shape == (2, 3)
    assert bits_equal(p.gradient(w).ravel(), p.gradient(w.ravel()))
    assert bits_equal(p.value(w.T), p.value(np.ascontiguousarray(w.T)))  # factors follow C order
    assert p.value(w.T) != p.value(w)
    zero_d = np.array(-2.0)
    assert regpen.L1(0.5).value(zero_d) == 1.0
    assert regpen.L1(0.5).gradient(zero_d).shape == ()
    assert regpen.L1(0.5, penalty_factor=[2.0]).prox(zero_d, 1.0).shape == ()
    with pytest.raises(regpen.InvalidPenaltyFactorError):
        regpen.L1(0.5, penalty_factor=[[1.0, 2.0]])
    assert bits_equal(
        regpen.compute_loss(w, np.zeros((2, 3)), w, p), exact(Fraction(9 + 4 + 1 + 0 + 1 + 4, 6) + 18)
    )


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sums_over_several_blocks_match_the_oracle(dtype: type, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exact sums run in blocks of `_exact._BLOCK` elements; their totals must combine exactly.
    Small blocks make many of them without making the oracle slow."""
    from regpen import _exact

    monkeypatch.setattr(_exact, "_BLOCK", 7)
    rng = np.random.default_rng(11)
    n, spread = 100, (300 if dtype is np.float64 else 60)  # finite, with a wide exponent range
    w = (rng.standard_normal(n) * np.exp2(rng.integers(-spread, spread, n))).astype(dtype)
    y = (rng.standard_normal(n) * np.exp2(rng.integers(-spread, spread, n))).astype(dtype)
    p = regpen.ElasticNet(0.3, 1e-5, penalty_factor=rng.uniform(0, 2, n))
    fmt = BINARY64 if dtype is np.float64 else BINARY32
    exact_penalty = oracle_penalty(p)
    assert bits_equal(p.value(w), dtype(spec.value(exact_penalty, w.tolist(), fmt)))
    expected_loss = spec.loss(exact_penalty, y.tolist(), w.tolist(), w.tolist(), fmt)
    assert bits_equal(regpen.compute_loss(y, w, w, p), dtype(expected_loss))
