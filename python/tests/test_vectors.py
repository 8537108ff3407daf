"""The reference backend against every shared vector, bit for bit (NaN matches NaN; -0 != +0)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import regpen
from regpen.penalties import Penalty

from conftest import bits_equal, decode, load_tests

PENALTY_CLASSES = {"l1": regpen.L1, "l2": regpen.L2, "elastic_net": regpen.ElasticNet}
PARAMETERS = {"l1": ("lam",), "l2": ("lam",), "elastic_net": ("l1", "l2")}


def make_penalty(spec: dict[str, Any]) -> Penalty:
    params = [float(decode(spec[name], "float64")[0]) for name in PARAMETERS[spec["type"]]]
    factor = decode(spec["penalty_factor"], "float64") if "penalty_factor" in spec else None
    return PENALTY_CLASSES[spec["type"]](*params, penalty_factor=factor)


def assert_same_penalty(got: Penalty, expected: dict[str, Any]) -> None:
    assert got.kind == expected["type"]
    for name in PARAMETERS[expected["type"]]:
        assert bits_equal(np.float64(got.get_config()[name]), decode(expected[name], "float64")[0])
    if "penalty_factor" in expected:
        assert got.penalty_factor is not None
        assert bits_equal(got.penalty_factor, decode(expected["penalty_factor"], "float64"))
    else:
        assert got.penalty_factor is None


def run_numeric(test: dict[str, Any]) -> np.ndarray | np.floating:
    dtype = test["dtype"]
    arg_dtypes = test.get("arg_dtypes", {})
    args = {
        name: decode(v, arg_dtypes.get(name, dtype)) for name, v in test["args"].items() if name != "step"
    }
    penalty = make_penalty(test["penalty"])
    operation = test["operation"]
    if operation == "value":
        return penalty.value(args["w"])
    if operation == "gradient":
        return penalty.gradient(args["w"])
    if operation == "prox":
        return penalty.prox(args["w"], float(decode(test["args"]["step"], "float64")[0]))
    return regpen.compute_loss(args["y_true"], args["y_pred"], args["w"], penalty)


def run_object(test: dict[str, Any]) -> Penalty:
    operation = test["operation"]
    if operation == "from_config":
        return regpen.from_json(test["args"]["config"])
    if operation == "config_roundtrip":
        return regpen.from_json(make_penalty(test["penalty"]).to_json())
    params = {k: float(decode(v, "float64")[0]) for k, v in test["args"]["params"].items()}
    convert = {
        "sklearn": lambda: regpen.from_sklearn(params["alpha"], params["l1_ratio"]),
        "glmnet": lambda: regpen.from_glmnet(params["lambda"], params["alpha"]),
        "keras": lambda: regpen.from_keras(params["l1"], params["l2"]),
        "torch": lambda: regpen.from_torch_weight_decay(params["weight_decay"]),
    }
    return convert[test["args"]["convention"]]()


def check(test: dict[str, Any], run: Any) -> None:
    if "expected_error" in test:
        with pytest.raises(regpen.RegpenError) as caught:
            run(test)
        assert caught.value.code == test["expected_error"]
        return
    got = run(test)
    if isinstance(got, Penalty):
        assert_same_penalty(got, test["expected"])
        return
    expected = decode(test["expected"], test["dtype"])
    if test["operation"] in ("value", "loss"):
        assert isinstance(got, np.floating)
        expected = expected[0]
    assert bits_equal(np.asarray(got), np.asarray(expected)), f"got {got!r}, expected {expected!r}"


NUMERIC = [t for name in ("value.json", "gradient.json", "prox.json", "loss.json") for t in load_tests(name)]
OBJECTS = [t for name in ("config.json", "convert.json") for t in load_tests(name)]


@pytest.mark.parametrize("test", NUMERIC, ids=[t["id"] for t in NUMERIC])
def test_numeric_vector(test: dict[str, Any]) -> None:
    check(test, run_numeric)


@pytest.mark.parametrize("test", OBJECTS, ids=[t["id"] for t in OBJECTS])
def test_object_vector(test: dict[str, Any]) -> None:
    check(test, run_object)
