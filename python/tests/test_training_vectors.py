"""The reference solvers against conformance/vectors/training.json, bit for bit: whole trajectories,
final coefficients, intercept, iteration count, duality gap and error codes (SPEC §7)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from test_vectors import make_penalty

import regpen
from regpen._training import train

from conftest import decode, load_tests

TESTS = load_tests("training.json")


def bits(a: np.ndarray | float) -> list[int]:
    return np.atleast_1d(np.asarray(a, dtype=np.float64)).view(np.uint64).tolist()


def run(test: dict[str, Any]) -> Any:
    args = test["args"]
    n, p = args["x_shape"]
    x = decode(args["x"], "float64") if args["x"] else np.zeros(0)
    y = decode(args["y"], "float64") if args["y"] else np.zeros(0)
    penalty = make_penalty(test["penalty"])
    return train(
        x.reshape(n, p),
        y,
        penalty,
        solver=args["solver"],
        fit_intercept=args["fit_intercept"],
        max_iter=args["max_iter"],
        tol=float(decode(args["tol"], "float64")[0]),
        record=True,
    )


@pytest.mark.parametrize("test", TESTS, ids=[t["id"] for t in TESTS])
def test_training_vector(test: dict[str, Any]) -> None:
    if "expected_error" in test:
        with pytest.raises(regpen.RegpenError) as caught:
            run(test)
        assert caught.value.code == test["expected_error"]
        return
    fit = run(test)
    expected = test["expected"]
    assert [bits(w) for w in fit.trajectory] == [bits(decode(w, "float64")) for w in expected["trajectory"]]
    assert bits(fit.coef) == bits(decode(expected["coef"], "float64"))
    assert bits(fit.intercept) == bits(decode(expected["intercept"], "float64"))
    assert fit.n_iter == expected["n_iter"]
    assert bits(fit.gap) == bits(decode(expected["gap"], "float64"))
    assert fit.converged == expected["converged"]
