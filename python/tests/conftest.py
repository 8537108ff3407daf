"""Shared helpers: the repository's vectors and oracle, found relative to this file, and exact bit
comparison (spec 2.0, decision B: NaN bits are compared like any other bits)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "conformance" / "vectors"
sys.path.insert(0, str(ROOT / "conformance"))  # the exact oracle, for property tests

import regpen  # noqa: E402
from oracle import spec  # noqa: E402

BITS = {"float64": np.uint64, "float32": np.uint32}
CANONICAL_NAN = {"float64": 0x7FF8000000000000, "float32": 0x7FC00000}


def decode(hexes: list[str] | str, dtype: str) -> np.ndarray:
    """IEEE bit patterns (conformance/README.md) to a numpy array of dtype."""
    items = [hexes] if isinstance(hexes, str) else hexes
    return np.array([int(h, 16) for h in items], dtype=BITS[dtype]).view(dtype)


def vector_files() -> list[str]:
    """Every vector file the suite's manifest lists."""
    return sorted(json.loads((VECTORS / "manifest.json").read_text())["files"])


def load_tests(operation_file: str) -> list[dict[str, Any]]:
    document = json.loads((VECTORS / operation_file).read_text())
    tests = [t for group in document["groups"] for t in group["tests"]]
    assert len(tests) == document["number_of_tests"] > 0, f"no tests in {operation_file}"
    return tests


def bits_equal(got: object, expected: object) -> bool:
    """Same dtype, same shape and the same bits everywhere, NaN included."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.dtype != expected.dtype or got.shape != expected.shape:
        return False
    unsigned = BITS[got.dtype.name]
    return bool(np.all(got.view(unsigned) == expected.view(unsigned)))


def oracle_penalty(p: regpen.Penalty) -> spec.Penalty:
    """The oracle's penalty with the same binary64 parameters and factors."""
    config = p.get_config()
    params = {name: config[name] for name in spec.PARAMETER_NAMES[p.kind]}
    return spec.make_penalty(p.kind, params, config.get("penalty_factor"))
