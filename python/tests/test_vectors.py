"""The reference backend against every shared vector file the manifest lists, bit for bit (NaN bits
included, -0 != +0), read here without the harness: integer inputs, n-dimensional shapes and
generated inputs included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import regpen
from oracle.generators import expand  # the spec's input generators (SPEC §6.1), shared with the harness
from regpen.penalties import Penalty

from conftest import bits_equal, decode, load_tests, vector_files

PENALTY_CLASSES = {"l1": regpen.L1, "l2": regpen.L2, "elastic_net": regpen.ElasticNet}
PARAMETERS = {"l1": ("lam",), "l2": ("lam",), "elastic_net": ("l1", "l2")}
SCALAR_OPERATIONS = ("value", "loss", "l1_regularization")


def binary64(hex_bits: str) -> float:
    return float(decode(hex_bits, "float64")[0])


def make_penalty(spec: dict[str, Any]) -> Penalty:
    params = [binary64(spec[name]) for name in PARAMETERS[spec["type"]]]
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


def argument_forms(test: dict[str, Any], name: str) -> list[object]:
    """The argument as the reference takes it. An integer argument (decision E) comes as a nested
    list of Python ints and, when every element fits, also as an int64 array: both must give the
    vector's result."""
    raw = test["args"][name]
    shape = test.get("shapes", {}).get(name)
    dtype = test.get("arg_dtypes", {}).get(name, test["dtype"])
    if isinstance(raw, dict):
        values = np.asarray(expand(raw, dtype))
    elif dtype in ("float64", "float32"):
        values = decode(raw, dtype)
    else:
        integers = np.array([int(text) for text in raw], dtype=object)
        nested = integers.reshape(shape).tolist() if shape is not None else integers.tolist()
        forms: list[object] = [nested]
        if all(-(2**63) <= i < 2**63 for i in integers):
            forms.append(integers.astype(np.int64).reshape(shape if shape is not None else -1))
        return forms
    return [values.reshape(shape) if shape is not None else values]


def run_numeric(test: dict[str, Any]) -> list[object]:
    """The operation's result for every form of its arguments."""
    operation = test["operation"]
    if operation == "l1_regularization":
        return [
            regpen.l1_regularization(w, binary64(test["args"]["lambda"])) for w in argument_forms(test, "w")
        ]
    penalty = make_penalty(test["penalty"])
    if operation == "loss":
        y_true, y_pred, w = (argument_forms(test, name) for name in ("y_true", "y_pred", "w"))
        return [regpen.compute_loss(y, p, x, penalty) for y in y_true for p in y_pred for x in w]
    call: dict[str, Callable[[object], object]] = {
        "value": penalty.value,
        "gradient": penalty.gradient,
        "prox": lambda w: penalty.prox(w, binary64(test["args"]["step"])),
    }
    return [call[operation](w) for w in argument_forms(test, "w")]


def run_object(test: dict[str, Any]) -> list[Penalty]:
    operation = test["operation"]
    if operation == "from_config":
        return [regpen.from_json(test["args"]["config"])]
    if operation == "config_roundtrip":
        return [regpen.from_json(make_penalty(test["penalty"]).to_json())]
    assert operation == "convert", f"unknown operation {operation!r}"
    params = {k: binary64(v) for k, v in test["args"]["params"].items()}
    convert = {
        "sklearn": lambda: regpen.from_sklearn(params["alpha"], params["l1_ratio"]),
        "glmnet": lambda: regpen.from_glmnet(params["lambda"], params["alpha"]),
        "keras": lambda: regpen.from_keras(params["l1"], params["l2"]),
        "torch": lambda: regpen.from_torch_weight_decay(params["weight_decay"]),
    }
    return [convert[test["args"]["convention"]]()]


def expected_result(test: dict[str, Any]) -> np.ndarray | np.floating:
    expected = decode(test["expected"], test["dtype"])
    if test["operation"] in SCALAR_OPERATIONS:
        return expected[0]
    shape = test.get("shapes", {}).get("w")
    return expected.reshape(shape) if shape is not None else expected


def check(test: dict[str, Any]) -> None:
    numeric = test["operation"] not in ("from_config", "config_roundtrip", "convert")
    run = run_numeric if numeric else run_object
    if "expected_error" in test:
        with pytest.raises(regpen.RegpenError) as caught:
            run(test)
        assert caught.value.code == test["expected_error"]
        return
    for got in run(test):
        if isinstance(got, Penalty):
            assert_same_penalty(got, test["expected"])
            continue
        expected = expected_result(test)
        if test["operation"] in SCALAR_OPERATIONS:
            assert isinstance(got, np.floating)
        assert bits_equal(got, expected), f"got {got!r}, expected {expected!r}"


# Model fits (training.json) have their own reader, test_training_vectors.py.
TESTS = [t for name in vector_files() if name != "training.json" for t in load_tests(name)]


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS])
def test_vector(test: dict[str, Any]) -> None:
    check(test)


def test_every_vector_file_is_read() -> None:
    operations = {t["operation"] for t in TESTS}
    assert {"value", "gradient", "prox", "loss", "l1_regularization", "from_config", "convert"} <= operations
    flags = {flag for t in TESTS for flag in t.get("flags", [])}
    assert {"integer_input", "ndarray", "generated", "nan_payload"} <= flags
