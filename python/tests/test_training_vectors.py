"""The reference solvers against conformance/vectors/training.json, bit for bit: whole trajectories,
final coefficients, intercept, iteration count, duality gap and error codes (SPEC §7)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from test_vectors import make_penalty

import regpen
from regpen._training import train
from regpen.model import regularization_path

from conftest import decode, load_tests

ALL = load_tests("training.json")
TESTS = [t for t in ALL if t["operation"] == "train"]
PATHS = [t for t in ALL if t["operation"] == "path"]


def bits(a: np.ndarray | float) -> list[int]:
    return np.atleast_1d(np.asarray(a, dtype=np.float64)).view(np.uint64).tolist()


def data(args: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    n, p = args["x_shape"]
    x = decode(args["x"], "float64") if args["x"] else np.zeros(0)
    y = decode(args["y"], "float64") if args["y"] else np.zeros(0)
    return x.reshape(n, p), y


def run(test: dict[str, Any]) -> Any:
    args = test["args"]
    x, y = data(args)
    penalty = make_penalty(test["penalty"])
    return train(
        x,
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


def run_path(test: dict[str, Any]) -> Any:
    args = test["args"]
    x, y = data(args)
    unit = make_penalty(test["penalty"])
    config = unit.get_config()
    names = [k for k in config if k not in ("type", "penalty_factor")]

    def family(s: float) -> regpen.Penalty:
        # SPEC §7.8's vector family: every parameter of P(1) times s, one rounding each.
        scaled = {k: (s * config[k] if k in names else v) for k, v in config.items()}
        return regpen.from_config(scaled)

    grid = (
        {"strengths": decode(args["strengths"], "float64") if args["strengths"] else []}
        if "strengths" in args
        else {"n_strengths": args["n_strengths"], "eps": float(decode(args["eps"], "float64")[0])}
    )
    return regularization_path(
        x,
        y,
        family,
        **grid,
        solver=args["solver"],
        fit_intercept=args["fit_intercept"],
        max_iter=args["max_iter"],
        tol=float(decode(args["tol"], "float64")[0]),
    )


@pytest.mark.filterwarnings("ignore::regpen.model.ConvergenceWarning")
@pytest.mark.parametrize("test", PATHS, ids=[t["id"] for t in PATHS])
def test_path_vector(test: dict[str, Any]) -> None:
    if "expected_error" in test:
        with pytest.raises(regpen.RegpenError) as caught:
            run_path(test)
        assert caught.value.code == test["expected_error"]
        return
    path = run_path(test)
    expected = test["expected"]
    assert bits(path.strengths) == bits(decode(expected["strengths"], "float64"))
    assert [bits(w) for w in path.coefs] == [bits(decode(w, "float64")) for w in expected["coefs"]]
    assert bits(path.intercepts) == bits(decode(expected["intercepts"], "float64"))
    assert path.n_iters.tolist() == expected["n_iters"]
    assert bits(path.gaps) == bits(decode(expected["gaps"], "float64"))
