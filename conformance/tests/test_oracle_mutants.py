"""Every mutant (oracle/mutants.py) must fail at least 3 vectors: a near miss the suite cannot tell
from a correct implementation would make the suite's 0-ULP claim hollow.

The vectors are run here directly on the mutants, with the checks before a call (penalty, dtypes,
shapes) done as the harness does them. Generated vectors longer than 65 537 elements are left out:
the Python loops of the compensated-sum mutants would take minutes on them, and the shorter vectors
already decide every mutant. Run with -s to see the kill matrix.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from oracle import generators, ieee, spec
from oracle.mutants import MUTANTS, Mutant

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
NUMERIC_FILES = ("value", "gradient", "prox", "loss", "l1_regularization")
MAX_GENERATED = 65537
MIN_KILLS = 3


def _tests() -> list[dict]:
    tests = []
    for name in NUMERIC_FILES:
        for group in json.loads((VECTORS / f"{name}.json").read_text())["groups"]:
            for test in group["tests"]:
                args = test["args"].values()
                if any(generators.is_generated(a) and a["n"] > MAX_GENERATED for a in args):
                    continue
                tests.append(test)
    return tests


def _decode(arg: object, dtype: str) -> list[float]:
    if generators.is_generated(arg):
        return generators.expand(arg, dtype).astype(np.float64)
    if dtype == "int64":
        return spec.elements([int(x) for x in arg], "int64")
    return [ieee.from_bits(int(h, 16), ieee.FORMATS[dtype]) for h in arg]


def _f64(h: str) -> float:
    return ieee.from_bits(int(h, 16), ieee.BINARY64)


def _hex(x: float, fmt: ieee.Format) -> str:
    return f"0x{ieee.to_bits(float(x), fmt):0{16 if fmt is ieee.BINARY64 else 8}x}"


def outcome(test: dict, operations: dict) -> object:
    """What `operations` return for a vector: hex bits (raw, never canonicalized) or an error code."""
    try:
        operation = test["operation"]
        args, arg_dtypes = test["args"], test.get("arg_dtypes", {})
        if operation == "l1_regularization":
            p = spec.make_penalty("l1", {"lam": _f64(args["lambda"])})
        else:
            raw = test["penalty"]
            params = {k: _f64(v) for k, v in raw.items() if k not in ("type", "penalty_factor")}
            factor = [_f64(h) for h in raw["penalty_factor"]] if "penalty_factor" in raw else None
            p = spec.make_penalty(raw["type"], params, factor)
        arrays = {
            name: _decode(arg, arg_dtypes.get(name, test["dtype"]))
            for name, arg in args.items()
            if name in ("w", "y_true", "y_pred")
        }
        fmt = spec.working_format([arg_dtypes.get(name, test["dtype"]) for name in arrays])
        if operation == "value":
            return _hex(operations["value"](p, arrays["w"], fmt), fmt)
        if operation == "l1_regularization":
            return _hex(operations["l1_regularization"](arrays["w"], _f64(args["lambda"]), fmt), fmt)
        if operation == "gradient":
            return [_hex(x, fmt) for x in operations["gradient"](p, arrays["w"], fmt)]
        if operation == "prox":
            return [_hex(x, fmt) for x in operations["prox"](p, arrays["w"], _f64(args["step"]), fmt)]
        shapes = test.get("shapes", {})
        if shapes:
            spec.same_shape(
                shapes.get("y_true", [len(arrays["y_true"])]), shapes.get("y_pred", [len(arrays["y_pred"])])
            )
        return _hex(operations["loss"](p, arrays["y_true"], arrays["y_pred"], arrays["w"], fmt), fmt)
    except spec.SpecError as error:
        return {"error": error.code}


def _expected(test: dict) -> object:
    return {"error": test["expected_error"]} if "expected_error" in test else test["expected"]


def _killed(mutant: Mutant, test: dict) -> bool:
    # An operation the mutant leaves as the oracle's own function cannot fail (the oracle passes
    # every vector, as the test below checks): skip the slow exact recomputation.
    if mutant.operations[test["operation"]] is getattr(spec, test["operation"]):
        return False
    return outcome(test, mutant.operations) != _expected(test)


@pytest.fixture(scope="module")
def tests() -> list[dict]:
    return _tests()


@pytest.fixture(scope="module")
def kills(tests: list[dict]) -> dict[str, Counter]:
    matrix = {m.name: Counter(t["operation"] for t in tests if _killed(m, t)) for m in MUTANTS}
    operations = NUMERIC_FILES
    width = max(len(m.name) for m in MUTANTS)
    print("\nmutant kill matrix (vectors failed per operation)")
    print(f"{'mutant':<{width}}  " + "  ".join(f"{o:>17}" for o in operations) + "  total")
    for name, counts in matrix.items():
        print(
            f"{name:<{width}}  "
            + "  ".join(f"{counts[o]:>17}" for o in operations)
            + f"  {sum(counts.values()):>5}"
        )
    return matrix


def test_the_oracle_itself_passes_every_vector(tests: list[dict]) -> None:
    oracle = Mutant("oracle", "", {name: getattr(spec, name) for name in NUMERIC_FILES}).operations
    failing = [t["id"] for t in tests if outcome(t, oracle) != _expected(t)]
    assert failing == []


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_every_mutant_is_killed(mutant: Mutant, kills: dict[str, Counter]) -> None:
    assert set(mutant.operations) == set(NUMERIC_FILES)
    killed = sum(kills[mutant.name].values())
    assert killed >= MIN_KILLS, f"{mutant.name} ({mutant.description}) survives: only {killed} vectors fail"
