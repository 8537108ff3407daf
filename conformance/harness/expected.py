"""Strict expected failures, in the style of protobuf's conformance runner.

`conformance/expected_failures/<backend>.txt` lists known failures, one test id per line followed by
`# reason`. The list must be exact: a failure not on it, a listed test that now passes, and a listed
id that no vector has any more all fail the run, so the list can never silently go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.compare import CODE_MISMATCH, ERRORED, FAIL, PASS, UNSUPPORTED, XFAIL

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "expected_failures"
FAILING = (FAIL, CODE_MISMATCH, ERRORED)


@dataclass
class ExpectedFailures:
    backend: str
    path: Path
    entries: dict[str, str]  # test id -> reason
    problems: list[str]  # lines that are malformed


def load(directory: Path, backend: str) -> ExpectedFailures:
    path = Path(directory) / f"{backend}.txt"
    entries: dict[str, str] = {}
    problems: list[str] = []
    if not path.is_file():
        return ExpectedFailures(backend, path, entries, [f"{path} is missing (create it empty)"])
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        test_id, hash_mark, reason = text.partition("#")
        test_id, reason = test_id.strip(), reason.strip()
        if not hash_mark or not reason:
            problems.append(f"{path.name}:{number}: {test_id} has no '# reason'")
        if test_id in entries:
            problems.append(f"{path.name}:{number}: {test_id} is listed twice")
        entries[test_id] = reason
    return ExpectedFailures(backend, path, entries, problems)


def apply(listed: ExpectedFailures, cells: dict[str, object], known_ids: set[str]) -> list[str]:
    """Marks listed failures as XFAIL on the backend's cells (test id -> Cell with .status/.reason)
    and returns the violations. `known_ids` is every id in the suite, including filtered-out ones,
    so that filtering a run never makes entries look stale."""
    violations = list(listed.problems)
    for test_id, reason in sorted(listed.entries.items()):
        if test_id not in known_ids:
            violations.append(f"{listed.backend}: stale expected failure {test_id} (no such test)")
            continue
        cell = cells.get(test_id)
        if cell is None:
            continue  # Filtered out of this run.
        if cell.status == PASS:
            violations.append(f"{listed.backend}: {test_id} passes but is listed as failing ({reason})")
        elif cell.status == UNSUPPORTED:
            violations.append(f"{listed.backend}: {test_id} is listed but not run ({cell.reason})")
        elif cell.status in FAILING:
            cell.reason = f"expected failure ({reason}); was {cell.status}: {cell.reason}"
            cell.status = XFAIL
    # A teaching backend's bit differences are already drift here; what is left failing for it is a
    # difference in behaviour (an error code, a crash), which must be listed like any other.
    for test_id, cell in sorted(cells.items()):
        if cell.status in FAILING and test_id not in listed.entries:
            violations.append(f"{listed.backend}: {test_id} {cell.status}: {first_line(cell.reason)}")
    return violations


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""
