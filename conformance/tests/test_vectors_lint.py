"""Lint of the checked-in vectors (Wycheproof style). Schema, manifest hashes, unique ids and counts
are the loader's checks (harness.vectors.load_suite); this adds what only the shipped suite must
satisfy: stable positional ids, documented flags, every SPEC.md error code and the seed example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.vectors import load_suite

CONFORMANCE = Path(__file__).resolve().parents[1]
VECTORS = CONFORMANCE / "vectors"
OPERATIONS = ("value", "gradient", "prox", "loss", "config", "convert")


@pytest.fixture(scope="module")
def suite_tests() -> list[dict]:
    return load_suite(VECTORS).tests  # raises on a schema, hash, id or count problem


@pytest.mark.parametrize("operation", OPERATIONS)
def test_ids_are_positional_and_flags_documented(operation: str) -> None:
    document = json.loads((VECTORS / f"{operation}.json").read_text())
    for group in document["groups"]:
        assert group["group"].startswith(f"{operation}/")
        for index, test in enumerate(group["tests"]):
            assert test["id"] == f"{group['group']}/{index}"
            assert set(test["flags"]) <= set(document["notes"]), f"{test['id']}: undocumented flag"


def test_every_spec_error_code_has_vectors(suite_tests: list[dict]) -> None:
    spec_text = (CONFORMANCE / "SPEC.md").read_text()
    codes = set(re.findall(r"^\| `([a-z_]+)` \| \d+ \|", spec_text, flags=re.MULTILINE))
    assert len(codes) == 9
    exercised = {t["expected_error"] for t in suite_tests if "expected_error" in t}
    # invalid_argument's C ABI cases (NULL pointers, strides) are GoogleTest's; training options have vectors.
    assert exercised | {"invalid_argument"} == codes


def test_seed_example_is_covered_for_every_penalty_and_dtype(suite_tests: list[dict]) -> None:
    seeds = {(t["operation"], t["penalty"]["type"], t["dtype"]) for t in suite_tests if "seed" in t["flags"]}
    expected = {
        (operation, penalty, dtype)
        for operation in ("value", "gradient", "prox", "loss")
        for penalty in ("l1", "l2", "elastic_net")
        for dtype in ("float64", "float32")
    }
    assert seeds == expected
