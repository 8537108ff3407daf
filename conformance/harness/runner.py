"""`harness run`: every vector on every selected backend, judged bit for bit, with strict expected
failures, timing checks and the reports.

The runner itself never calls a backend: each backend lives in a worker process (pool.py), shared
by the backends that name the same `worker` (the JVM ones), so a crash or a hang costs one cell.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import expected as expected_failures
from harness import kills, timing
from harness.backend import Backend
from harness.compare import (
    DRIFT,
    FAIL,
    UNAVAILABLE,
    UNSUPPORTED,
    judge,
)
from harness.pool import WorkerClient, WorkerDied
from harness.vectors import Suite, test_dtype, test_penalty_type
from harness.worker import load_registry


@dataclass
class Cell:
    """The result of one test on one backend."""

    status: str
    reason: str = ""
    ulp: int | None = None
    outcome: dict | None = None  # What the backend returned, encoded like the vectors.


@dataclass
class BackendInfo:
    name: str
    language: str
    teaching: bool
    worker: str
    unavailable: str | None = None
    mutant: bool = False  # test-only: judged by harness/kills.py, not by an expected-failure list
    control: bool = False  # the mutants' control (the oracle through the mutant adapter)
    description: str = ""


@dataclass
class RunResult:
    suite: Suite
    tests: list[dict]
    backends: list[BackendInfo]
    cells: dict[str, dict[str, Cell]]  # backend -> test id -> cell
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth reading, but not failing the run
    kills: list[kills.Row] = field(default_factory=list)
    timing: list[timing.CheckResult] = field(default_factory=list)
    required_missing: list[str] = field(default_factory=list)
    seconds: float = 0.0
    strict_timing: bool = False

    def failed(self) -> bool:
        timing_failed = self.strict_timing and any(c.status == "fail" for c in self.timing)
        return bool(self.violations or self.required_missing or timing_failed)


@dataclass
class Options:
    backends: list[str] = field(default_factory=list)  # empty: every registered backend
    mutants: bool = True  # with an empty `backends`: include the test-only mutants
    require: list[str] = field(default_factory=list)
    filter: str = ""
    timeout: float = 60.0
    batch_size: int = 200
    registry: str = "harness.backends:all_backends"
    expected_dir: Path = expected_failures.DEFAULT_DIR
    timing_file: Path | None = timing.DEFAULT_FILE
    strict_timing: bool = False
    log_dir: Path | None = None
    extra_path: list[str] = field(default_factory=list)
    progress: bool = True


def select_backends(registry: list[Backend], names: list[str], mutants: bool = True) -> list[Backend]:
    if not names:
        return [b for b in registry if mutants or not b.mutant]
    by_name = {b.name: b for b in registry}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown backend(s) {unknown}; registered: {sorted(by_name)}")
    return [by_name[n] for n in dict.fromkeys(names)]


def worker_key(backend: Backend) -> str:
    return backend.worker or backend.name


def start_workers(backends: list[Backend], options: Options) -> dict[str, WorkerClient]:
    """One client per worker key; the process starts on the first request."""
    groups: dict[str, list[str]] = {}
    for backend in backends:
        groups.setdefault(worker_key(backend), []).append(backend.name)
    return {
        key: WorkerClient(
            key,
            names,
            registry=options.registry,
            timeout=options.timeout,
            log_dir=options.log_dir,
            extra_path=options.extra_path,
        )
        for key, names in groups.items()
    }


def run(suite: Suite, options: Options) -> RunResult:
    started = time.monotonic()
    registry = load_registry(options.registry)
    backends = select_backends(registry, options.backends, options.mutants)
    unknown_required = [n for n in options.require if n not in {b.name for b in registry}]
    if unknown_required:
        raise SystemExit(f"--require names unknown backend(s) {unknown_required}")
    if options.require:
        backends += [b for b in select_backends(registry, options.require) if b not in backends]

    tests = [t for t in suite.tests if options.filter in t["id"]]
    known_ids = {t["id"] for t in suite.tests}
    workers = start_workers(backends, options)
    result = RunResult(suite, tests, [], {}, strict_timing=options.strict_timing)
    try:
        for key, client in workers.items():
            try:
                reasons = client.hello()
            except (
                WorkerDied,
                ValueError,
                KeyError,
            ) as e:  # It cannot import its backends.
                reasons = {name: f"worker {key} failed to start: {e}" for name in client.backend_names}
            for backend in (b for b in backends if worker_key(b) == key):
                result.backends.append(
                    BackendInfo(
                        backend.name,
                        backend.language,
                        backend.teaching,
                        key,
                        reasons.get(backend.name, "not found by the worker"),
                        mutant=backend.mutant,
                        control=getattr(backend, "control", False),
                        description=getattr(backend, "description", ""),
                    )
                )
        result.backends.sort(key=lambda b: [x.name for x in backends].index(b.name))

        for info in result.backends:
            backend = next(b for b in backends if b.name == info.name)
            result.cells[info.name] = _run_backend(backend, info, tests, workers[info.worker], options)
            if info.mutant:
                if info.unavailable is not None:
                    result.violations.append(f"{info.name} cannot run: {info.unavailable.splitlines()[0]}")
            elif info.unavailable is None:
                listed = expected_failures.load(options.expected_dir, info.name)
                listed, note = expected_failures.for_suite(listed, suite.name, suite.version)
                result.notes += [note] if note else []
                result.violations += expected_failures.apply(listed, result.cells[info.name], known_ids)
            elif info.name in options.require:
                result.required_missing.append(f"{info.name}: {info.unavailable}")

        result.kills = kills.matrix(result)
        result.violations += kills.violations(result.kills)

        if options.timing_file is not None and Path(options.timing_file).is_file():
            available = {
                i.name: workers[i.worker] for i in result.backends if i.unavailable is None and not i.mutant
            }
            result.timing = timing.run_checks(timing.load(options.timing_file), available, options.timeout)
    finally:
        for client in workers.values():
            client.stop()
    result.seconds = time.monotonic() - started
    return result


def _run_backend(
    backend: Backend,
    info: BackendInfo,
    tests: list[dict],
    client: WorkerClient,
    options: Options,
) -> dict[str, Cell]:
    cells: dict[str, Cell] = {}
    if info.unavailable is not None:
        return {t["id"]: Cell(UNAVAILABLE, info.unavailable) for t in tests}
    runnable = []
    for test in tests:
        gap = backend.capabilities.gap(
            test_dtype(test),
            test["operation"],
            test.get("flags", []),
            test_penalty_type(test),
        ) or backend.declines(test)
        if gap is None:
            runnable.append(test)
        else:
            cells[test["id"]] = Cell(UNSUPPORTED, gap)

    progress = _progress(len(runnable), backend.name, options.progress)

    def record(test: dict, outcome: dict) -> None:
        verdict = judge(test, outcome)
        status = verdict.status
        if backend.teaching and status == FAIL:
            status = DRIFT  # A teaching snippet is measured, not held to the spec's bits.
        cells[test["id"]] = Cell(status, verdict.reason, verdict.ulp, outcome)
        if progress is not None:
            progress.update(1)

    try:
        client.run_tests(backend.name, runnable, record, options.batch_size)
    finally:
        if progress is not None:
            progress.close()
    return {t["id"]: cells[t["id"]] for t in tests}


def _progress(total: int, name: str, enabled: bool):
    if not enabled or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=f"{name:>14}", unit="test", leave=False)


def count(cells: dict[str, Cell], status: str) -> int:
    return sum(1 for c in cells.values() if c.status == status)
