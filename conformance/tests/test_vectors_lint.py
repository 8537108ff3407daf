"""Lint of the checked-in vectors (Wycheproof style): schema, unique stable ids, counts, hashes,
and every error code of SPEC.md §4 exercised."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

CONFORMANCE = Path(__file__).resolve().parents[1]
VECTORS = CONFORMANCE / "vectors"
FILES = sorted(p for p in VECTORS.glob("*.json") if p.name not in ("schema.json", "manifest.json"))


def documents() -> list[tuple[Path, dict]]:
    return [(path, json.loads(path.read_text())) for path in FILES]


def all_tests() -> list[dict]:
    return [t for _, doc in documents() for g in doc["groups"] for t in g["tests"]]


def test_files_exist() -> None:
    assert {p.name for p in FILES} == {
        f"{op}.json" for op in ("value", "gradient", "prox", "loss", "config", "convert")
    }


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_schema_and_counts(path: Path) -> None:
    document = json.loads(path.read_text())
    jsonschema.validate(document, json.loads((VECTORS / "schema.json").read_text()))
    tests = [t for g in document["groups"] for t in g["tests"]]
    assert len(tests) == document["number_of_tests"] > 0
    for group in document["groups"]:
        assert group["group"].startswith(document["operation"] + "/")
        for index, test in enumerate(group["tests"]):
            assert test["id"] == f"{group['group']}/{index}"
            assert set(test["flags"]) <= set(document["notes"]), f"{test['id']}: undocumented flag"


def test_ids_are_unique() -> None:
    counts = Counter(t["id"] for t in all_tests())
    assert not [i for i, n in counts.items() if n > 1]


def test_manifest_hashes_match() -> None:
    manifest = json.loads((VECTORS / "manifest.json").read_text())
    assert manifest["files"] == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in FILES}


def test_every_spec_error_code_has_vectors() -> None:
    spec_text = (CONFORMANCE / "SPEC.md").read_text()
    codes = set(re.findall(r"^\| `([a-z_]+)` \| \d+ \|", spec_text, flags=re.MULTILINE))
    assert "invalid_lambda" in codes and len(codes) == 8
    exercised = {t["expected_error"] for t in all_tests() if "expected_error" in t}
    # invalid_argument is the C ABI's alone (NULL pointers, strides); GoogleTest covers it.
    assert exercised == codes - {"invalid_argument"}


def test_seed_example_is_covered_for_every_penalty_and_dtype() -> None:
    seeds = {(t["operation"], t["penalty"]["type"], t["dtype"]) for t in all_tests() if "seed" in t["flags"]}
    for operation in ("value", "gradient", "prox", "loss"):
        for penalty in ("l1", "l2", "elastic_net"):
            for dtype in ("float64", "float32"):
                assert (operation, penalty, dtype) in seeds
