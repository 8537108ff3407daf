"""A small suite that is not regpen's own, as a user brings to `harness run --vectors DIR`
(issue 14 §1): its own manifest name, a copy of the schema it was written against, one value.json.
The expected values come from the oracle (`python tests/custom_suite.py` rewrites
tests/data/custom_suite; test_harness_custom_suite.py fails when the files are stale).

The cases have exact values (or IEEE special results), so they mean the same under every version
of the spec's value rounding; the ids deliberately share the default suite's prefix `value/l1/...`.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

from oracle import spec

DIRECTORY = Path(__file__).resolve().parent / "data" / "custom_suite"
NAME, VERSION = "custom-adversarial", "0.1.0"
# (comment, lambda, w): small dyadic values, overflow, infinities and NaN.
CASES = [
    ("dyadic weights", 0.5, [1.0, -2.0, 0.25]),
    ("signed zeros", 2.0, [-0.0, 0.0]),
    ("empty weights", 1.0, []),
    ("exact sum past the overflow threshold", 1.0, [1.7e308, 1.7e308]),
    ("an infinite weight with a positive strength", 0.125, [float("-inf"), 1.0]),
    ("a NaN weight", 1.0, [3.0, float("nan")]),
]


def _hex(x: float) -> str:
    return "0x" + struct.pack(">d", x).hex()


def _document(schema_name: str) -> dict:
    tests = []
    for index, (comment, lam, w) in enumerate(CASES):
        penalty = spec.make_penalty("l1", {"lam": lam})
        tests.append(
            {
                "id": f"value/l1/float64/adversarial/{index}",
                "comment": comment,
                "flags": [],
                "operation": "value",
                "dtype": "float64",
                "penalty": {"type": "l1", "lam": _hex(lam)},
                "args": {"w": [_hex(x) for x in w]},
                "expected": _hex(spec.value(penalty, w, spec.fmt_of("float64"))),
            }
        )
    return {
        "suite": "regpen",  # The schema's name for the vector format; the manifest names the suite.
        "suite_version": VERSION,
        "schema": schema_name,
        "operation": "value",
        "number_of_tests": len(tests),
        "notes": {},
        "groups": [{"group": "value/l1/float64/adversarial", "comment": "A user's cases.", "tests": tests}],
    }


def files() -> dict[str, bytes]:
    """Every file of the suite, from the checked-in schema copy and the oracle."""
    schema = json.loads((DIRECTORY / "schema.json").read_text())
    value = (json.dumps(_document(schema["properties"]["schema"]["const"]), indent=1) + "\n").encode()
    manifest = {
        "suite": NAME,
        "suite_version": VERSION,
        "files": {"value.json": hashlib.sha256(value).hexdigest()},
    }
    return {"value.json": value, "manifest.json": (json.dumps(manifest, indent=2) + "\n").encode()}


if __name__ == "__main__":
    for name, data in files().items():
        (DIRECTORY / name).write_bytes(data)
