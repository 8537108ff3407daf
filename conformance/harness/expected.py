"""Strict expected failures, in the style of protobuf's conformance runner.

`conformance/expected_failures/<backend>.txt` lists known failures, one test id per line followed by
`# reason`. The list must be exact: a failure not on it, a listed test that now passes, and a listed
id that no vector has any more all fail the run, so the list can never silently go stale.

A list belongs to the suite it was written for, since test ids mean something only there. It names
that suite in a header line, `# suite: NAME` or `# suite: NAME VERSION`, matched against the suite's
manifest (`suite`, `suite_version`; without a version, any version of that suite). A run on another
suite (`--vectors DIR`) does not apply the list at all: it judges only what that suite contains,
so nothing is stale and every failure counts. A list with entries must name its suite; an empty
list needs no header, since it expects nothing of any suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.compare import CODE_MISMATCH, ERRORED, FAIL, PASS, UNSUPPORTED, XFAIL

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "expected_failures"
FAILING = (FAIL, CODE_MISMATCH, ERRORED)


SUITE_PREFIX = "# suite:"


@dataclass
class ExpectedFailures:
    backend: str
    path: Path
    entries: dict[str, str]  # test id -> reason
    problems: list[str]  # lines that are malformed
    suite: tuple[str, str | None] | None = None  # (name, version or None) from the header

    def applies_to(self, name: str, version: str) -> bool:
        """Whether the list was written for this suite (an empty list applies to any suite)."""
        if self.suite is None:
            return not self.entries
        listed_name, listed_version = self.suite
        return listed_name == name and listed_version in (None, version)

    def suite_text(self) -> str:
        if self.suite is None:
            return "no suite"
        return " ".join(part for part in self.suite if part)


def load(directory: Path, backend: str) -> ExpectedFailures:
    path = Path(directory) / f"{backend}.txt"
    entries: dict[str, str] = {}
    problems: list[str] = []
    if not path.is_file():
        return ExpectedFailures(backend, path, entries, [f"{path} is missing (create it empty)"])
    suite: tuple[str, str | None] | None = None
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        text = line.strip()
        if text.startswith(SUITE_PREFIX):
            words = text.removeprefix(SUITE_PREFIX).split()
            if suite is not None or len(words) not in (1, 2):
                problems.append(f"{path.name}:{number}: expected one '{SUITE_PREFIX} NAME [VERSION]' line")
            else:
                suite = (words[0], words[1] if len(words) == 2 else None)
            continue
        if not text or text.startswith("#"):
            continue
        test_id, hash_mark, reason = text.partition("#")
        test_id, reason = test_id.strip(), reason.strip()
        if not hash_mark or not reason:
            problems.append(f"{path.name}:{number}: {test_id} has no '# reason'")
        if test_id in entries:
            problems.append(f"{path.name}:{number}: {test_id} is listed twice")
        entries[test_id] = reason
    if entries and suite is None:
        problems.append(f"{path.name}: lists failures but names no suite ('{SUITE_PREFIX} NAME [VERSION]')")
    return ExpectedFailures(backend, path, entries, problems, suite)


def for_suite(listed: ExpectedFailures, name: str, version: str) -> tuple[ExpectedFailures, str | None]:
    """The list to judge a run on suite (name, version) by, and a note when the backend's list was
    written for another suite and is therefore not applied (an empty list in its place)."""
    if listed.applies_to(name, version) or listed.problems:
        return listed, None
    note = (
        f"{listed.path.name} is for suite {listed.suite_text()}, not {name} {version}: "
        f"its {len(listed.entries)} entries are not applied"
    )
    return ExpectedFailures(listed.backend, listed.path, {}, [], (name, version)), note


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
