"""The mutants' kill matrix: how many vectors each test-only mutant fails, per operation.

A mutant (harness/backends/mutants.py) is a deliberately wrong implementation. The suite is only
as strong as the near misses it rejects, so a run fails when a mutant fails fewer than MIN_KILLS
vectors ("mutant X survived"), and when the control (oracle.spec through the same adapter) fails
any, since then the adapter, not the mutants' bugs, would be doing the killing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.backend import OPERATIONS
from harness.compare import CODE_MISMATCH, ERRORED, FAIL, UNSUPPORTED

MIN_KILLS = 3
KILLING = (FAIL, CODE_MISMATCH)  # A crash is a defect of the mutant, not a vector that tells it apart.


@dataclass
class Row:
    backend: str
    description: str
    control: bool
    kills: dict[str, int] = field(default_factory=dict)  # operation -> vectors failed
    ran: dict[str, int] = field(default_factory=dict)  # operation -> vectors run
    crashes: int = 0

    @property
    def total(self) -> int:
        return sum(self.kills.values())


def matrix(result) -> list[Row]:
    """One row per mutant (and the control) that ran in `result` (a runner.RunResult)."""
    operation_of = {t["id"]: t["operation"] for t in result.tests}
    rows = []
    for info in result.backends:
        if not info.mutant or info.unavailable is not None:
            continue
        row = Row(info.name, info.description, info.control)
        for test_id, cell in result.cells[info.name].items():
            if cell.status == UNSUPPORTED:
                continue
            operation = operation_of[test_id]
            row.ran[operation] = row.ran.get(operation, 0) + 1
            row.kills[operation] = row.kills.get(operation, 0) + (cell.status in KILLING)
            row.crashes += cell.status == ERRORED
        rows.append(row)
    return rows


def violations(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        if row.control:
            if row.total or row.crashes:
                found.append(
                    f"{row.backend} failed {row.total} and crashed on {row.crashes} vectors: the mutant "
                    "adapter does not reproduce the oracle, so no kill can be trusted"
                )
        elif row.total < MIN_KILLS:
            found.append(
                f"mutant {row.backend.removeprefix('mutant-')} survived: it fails {row.total} vectors "
                f"(at least {MIN_KILLS} must tell it from the spec) - {row.description}"
            )
    return found


def columns(rows: list[Row]) -> list[str]:
    """The operations any mutant ran, in the spec's order."""
    return [op for op in OPERATIONS if any(op in row.ran for row in rows)]


def table(rows: list[Row]) -> list[list[str]]:
    """Header plus one row per mutant: failures/run per operation ('.' = not changed by it)."""
    ops = columns(rows)
    lines = [["mutant", *ops, "total", "verdict"]]
    for row in rows:
        cells = [f"{row.kills[op]}/{row.ran[op]}" if op in row.ran else "." for op in ops]
        if row.control:
            verdict = "control ok" if not row.total and not row.crashes else "CONTROL FAILED"
        else:
            verdict = "killed" if row.total >= MIN_KILLS else "SURVIVED"
        if row.crashes:
            verdict += f" ({row.crashes} crashes)"
        lines.append([row.backend, *cells, str(row.total), verdict])
    return lines
