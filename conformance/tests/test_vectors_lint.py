"""Lint of the checked-in vectors (Wycheproof style). Schema, manifest hashes, unique ids and counts
are the loader's checks (harness.vectors.load_suite); this adds what only the shipped suite must
satisfy: stable positional ids, documented flags, every SPEC.md error code and the seed example."""

from __future__ import annotations

import json
import math
import re
import struct
from fractions import Fraction
from pathlib import Path

import pytest

from harness.vectors import load_suite

CONFORMANCE = Path(__file__).resolve().parents[1]
VECTORS = CONFORMANCE / "vectors"
OPERATIONS = ("value", "gradient", "prox", "loss", "l1_regularization", "config", "convert")
CANONICAL_NAN = {"float64": "0x7ff8000000000000", "float32": "0x7fc00000"}
ARRAY_ARGS = ("w", "y_true", "y_pred")


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
    seeds = {
        (t["operation"], t.get("penalty", {"type": "l1"})["type"], t["dtype"])
        for t in suite_tests
        if "seed" in t["flags"]
    }
    expected = {
        (operation, penalty, dtype)
        for operation in ("value", "gradient", "prox", "loss")
        for penalty in ("l1", "l2", "elastic_net")
        for dtype in ("float64", "float32")
    }
    expected |= {("l1_regularization", "l1", dtype) for dtype in ("float64", "float32")}
    assert seeds == expected


def _is_nan(h: str) -> bool:
    bits, width = int(h, 16), len(h) - 2
    exponent = (0x7FF << 52) if width == 16 else (0xFF << 23)
    fraction = ((1 << 52) - 1) if width == 16 else ((1 << 23) - 1)
    return bits & exponent == exponent and bits & fraction != 0


def _floats(expected: object) -> list[str]:
    if isinstance(expected, str):
        return [expected]
    if isinstance(expected, list):
        return list(expected)
    return []


def test_expected_nans_are_canonical_and_input_nans_are_varied(suite_tests: list[dict]) -> None:
    """SPEC §2: every NaN output is the canonical NaN; the inputs must include other NaNs to tell."""
    input_nans: set[str] = set()
    for t in suite_tests:
        for h in _floats(t.get("expected")):
            if _is_nan(h):
                assert h == CANONICAL_NAN[t["dtype"]], t["id"]
        for name in ARRAY_ARGS:
            arg = t.get("args", {}).get(name)
            if isinstance(arg, list):
                input_nans |= {h for h in arg if h.startswith("0x") and _is_nan(h)}
    assert input_nans - set(CANONICAL_NAN.values()), "no non-canonical input NaN"
    for h in ("0xfff8000000000000", "0x7ff0000000000001", "0xffc00000", "0x7f800001"):
        assert h in input_nans


def test_args_match_their_dtypes_and_shapes(suite_tests: list[dict]) -> None:
    for t in suite_tests:
        arg_dtypes = t.get("arg_dtypes", {})
        if "int64" in arg_dtypes.values():
            assert "integer_input" in t["flags"] and t["dtype"] == "float64", t["id"]
        for name in ARRAY_ARGS:
            arg = t.get("args", {}).get(name)
            if not isinstance(arg, list):
                continue
            dtype = arg_dtypes.get(name, t["dtype"])
            if dtype == "int64":
                assert all(re.fullmatch(r"-?(0|[1-9][0-9]*)", x) and -(2**63) <= int(x) < 2**63 for x in arg)
            else:
                assert all(len(h) == (18 if dtype == "float64" else 10) for h in arg), t["id"]
            shape = t.get("shapes", {}).get(name)
            if shape is not None:
                assert "ndarray" in t["flags"] and math.prod(shape) == len(arg), t["id"]
                if name == "w" and isinstance(t.get("expected"), list):
                    assert len(t["expected"]) == len(arg), t["id"]
        if isinstance(t.get("expected"), str) and t["operation"] != "from_config":
            assert len(t["expected"]) == (18 if t["dtype"] == "float64" else 10), t["id"]


def test_suite_version_and_spec_agree() -> None:
    manifest = json.loads((VECTORS / "manifest.json").read_text())
    assert manifest["suite_version"] == "2.0.0" and manifest["schema"] == "regpen-vectors-2"
    assert "(suite version 2.0.0)" in (CONFORMANCE / "SPEC.md").read_text()


def _find(suite_tests: list[dict], operation: str, comment_start: str) -> list[dict]:
    return [t for t in suite_tests if t["operation"] == operation and t["comment"].startswith(comment_start)]


def test_the_spec_change_is_in_the_vectors(suite_tests: list[dict]) -> None:
    """Issue 9's examples exist and expect the finite one-rounding answers, not inf or NaN."""
    (l2,) = [
        t
        for t in _find(suite_tests, "value", "strength 1e-100, w = [1e155]")
        if t["penalty"]["type"] == "l2" and t["dtype"] == "float64"
    ]
    exact = float(Fraction(1e-100) * Fraction(1e155) ** 2)  # CPython rounds a Fraction correctly
    assert l2["expected"] == f"0x{struct.unpack('<Q', struct.pack('<d', exact))[0]:016x}"
    (en,) = [
        t
        for t in _find(suite_tests, "value", "strength 1 on |w| and 0 on w², w = [1e200]")
        if t["penalty"]["type"] == "elastic_net"
    ]
    assert en["expected"] == en["args"]["w"][0]  # 1e200
    big = [t for t in _find(suite_tests, "loss", "y = 4 x [1e+154]")]
    assert big and all(t["expected"] not in ("0x7ff0000000000000", CANONICAL_NAN["float64"]) for t in big)
    for operation in ("value", "loss", "l1_regularization"):
        assert (
            len([t for t in suite_tests if t["operation"] == operation and "one_rounding" in t["flags"]]) >= 8
        )
