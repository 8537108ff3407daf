"""Timing checks: declared speed ratios between backends, measured in the same run.

`conformance/timing_checks.toml` holds `[[check]]` tables. Each says: `backend` computing
`operation` for `penalty`/`dtype` on `n` generated weights is at least `min_speed_ratio` times as
fast as `baseline` (speed ratio = baseline time / backend time). Both sides are timed through their
workers on the same seeded data, with the backend's own timer when it has one. Margins are generous
on purpose: a check catches a lost order of magnitude, not noise on a shared machine.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "timing_checks.toml"
_REQUIRED = (
    "name",
    "backend",
    "baseline",
    "operation",
    "penalty",
    "dtype",
    "n",
    "min_speed_ratio",
)


@dataclass
class Check:
    name: str
    backend: str
    baseline: str
    operation: str
    penalty: str
    dtype: str
    n: int
    min_speed_ratio: float
    repeats: int = 5
    seed: int = 20261125
    budget: float = 10.0  # Seconds each side may spend on its repeats.
    note: str = ""


@dataclass
class CheckResult:
    check: Check
    status: str  # "pass" | "fail" | "skipped"
    ratio: float | None = None
    backend_seconds: float | None = None
    baseline_seconds: float | None = None
    detail: str = ""


def median_call_seconds(call: Callable[[], object], repeats: int, budget: float) -> tuple[float, int]:
    """Median seconds per call, and how many calls were timed.

    One warm-up call (caches, lazy imports, a JIT), then up to `repeats` samples within `budget`
    seconds. Each sample loops enough calls to last about 2 ms, so that the clock's own cost does
    not count for tiny inputs. A call slower than half the budget is measured once, by its warm-up.
    """
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first >= budget / 2:
        return first, 1
    inner = int(min(max(2e-3 / max(first, 1e-8), 1), 100_000))
    samples: list[float] = []
    spent = 0.0
    while len(samples) < max(repeats, 1) and (not samples or spent < budget):
        start = time.perf_counter()
        for _ in range(inner):
            call()
        elapsed = time.perf_counter() - start
        samples.append(elapsed / inner)
        spent += elapsed
    return float(np.median(samples)), len(samples) * inner


def load(path: Path) -> list[Check]:
    with open(path, "rb") as f:
        document = tomllib.load(f)
    checks = []
    for number, table in enumerate(document.get("check", []), start=1):
        missing = [k for k in _REQUIRED if k not in table]
        if missing:
            raise ValueError(f"{path}: check #{number} lacks {missing}")
        unknown = set(table) - set(Check.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: check #{number} has unknown keys {sorted(unknown)}")
        checks.append(Check(**table))
    return checks


def request(check: Check, backend: str) -> dict:
    return {
        "backend": backend,
        "operation": check.operation,
        "penalty": check.penalty,
        "dtype": check.dtype,
        "n": check.n,
        "seed": check.seed,
        "repeats": check.repeats,
        "budget": check.budget,
    }


def run_checks(checks: list[Check], workers: dict, timeout: float) -> list[CheckResult]:
    """`workers` maps each available backend's name to its WorkerClient."""
    results = []
    for check in checks:
        missing = [n for n in (check.backend, check.baseline) if n not in workers]
        if missing:
            results.append(CheckResult(check, "skipped", detail=f"not available in this run: {missing}"))
            continue
        seconds: dict[str, float] = {}
        failure = ""
        for name in (check.backend, check.baseline):
            outcome = workers[name].time(request(check, name), max(timeout, 4 * check.budget))
            if outcome.get("kind") != "timing":
                failure = f"{name} could not be timed: {outcome.get('code') or outcome.get('message')}"
                break
            seconds[name] = outcome["seconds"]
        if failure:
            results.append(CheckResult(check, "fail", detail=failure))
            continue
        ratio = seconds[check.baseline] / seconds[check.backend]
        results.append(
            CheckResult(
                check,
                "pass" if ratio >= check.min_speed_ratio else "fail",
                ratio,
                seconds[check.backend],
                seconds[check.baseline],
            )
        )
    return results


def describe(result: CheckResult) -> str:
    check = result.check
    if result.ratio is None:
        return f"[{result.status}] {check.name}: {result.detail}"
    return (
        f"[{result.status}] {check.name}: {check.backend} {result.backend_seconds * 1e3:.3f} ms, "
        f"{check.baseline} {result.baseline_seconds * 1e3:.3f} ms, speed ratio {result.ratio:.3g} "
        f"(required >= {check.min_speed_ratio:g})"
    )
