"""Deterministic inputs for timing checks and the benchmark.

The worker processes and the in-process baselines build their arrays from the same seed here, so
every implementation is timed on the same numbers without shipping large arrays between processes.
"""

from __future__ import annotations

import numpy as np
from regpen_names import PENALTIES

from harness.backend import PenaltySpec

# The step used when timing prox; any positive value exercises the same code path.
TIMING_STEP = 0.1


def weights(n: int, dtype: str, seed: int) -> np.ndarray:
    """Standard normal weights; a few exact zeros would not change any kernel's speed."""
    return np.random.default_rng(seed).standard_normal(n).astype(dtype)


def penalty(kind: str) -> PenaltySpec:
    """A representative penalty of each type: every parameter 0.01 (no kernel's speed depends on
    the values, only on the type)."""
    if kind not in PENALTIES:
        raise ValueError(f"unknown penalty type {kind!r}")
    return PenaltySpec(kind, {name: 0.01 for name in PENALTIES[kind].params})
