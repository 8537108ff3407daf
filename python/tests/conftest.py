"""Shared fixtures: the repository's vectors and oracle, found relative to this file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "conformance" / "vectors"
sys.path.insert(0, str(ROOT / "conformance"))  # the exact oracle, for property tests

_BITS = {"float64": np.uint64, "float32": np.uint32}


def decode(hexes: list[str] | str, dtype: str) -> np.ndarray:
    """IEEE bit patterns (conformance/README.md) to a numpy array of dtype."""
    items = [hexes] if isinstance(hexes, str) else hexes
    return np.array([int(h, 16) for h in items], dtype=_BITS[dtype]).view(dtype)


def load_tests(operation_file: str) -> list[dict]:
    document = json.loads((VECTORS / operation_file).read_text())
    tests = [t for group in document["groups"] for t in group["tests"]]
    assert len(tests) == document["number_of_tests"] > 0, f"no tests in {operation_file}"
    return tests


def bits_equal(got: np.ndarray, expected: np.ndarray) -> bool:
    """Bit equality, except that any NaN matches any NaN."""
    got = np.asarray(got)
    if got.dtype != expected.dtype or got.shape != expected.shape:
        return False
    unsigned = _BITS[got.dtype.name]
    same_bits = got.view(unsigned) == expected.view(unsigned)
    return bool(np.all(same_bits | (np.isnan(got) & np.isnan(expected))))
