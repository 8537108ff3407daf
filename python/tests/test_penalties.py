"""Unit tests of the reference API: dtype rules, shapes, every error code, configuration, conversions."""

from __future__ import annotations

import json

import numpy as np
import pytest

import regpen


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


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1, 2], dtype=np.int64),
        np.array([1j]),
        ["a"],
        [True],
        "1.0",
        None,
        np.array([1.0], dtype=np.float16),
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
