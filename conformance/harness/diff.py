"""`harness diff OLD NEW`: what changed between two results.json files (two runs, two machines).

A cell changed when its status changed or when the bits it returned differ (compared like the
vectors: bit for bit, NaN sign and payload included). Tests or backends present on one side only are
listed too. The exit status is 1 when anything changed, so CI can assert reproducibility.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.compare import outcomes_agree


def _same(old: dict, new: dict) -> bool:
    if old.get("status") != new.get("status"):
        return False
    a, b = old.get("got"), new.get("got")
    if a is None or b is None:
        return a is b
    if a.get("kind") == "crash" and b.get("kind") == "crash":
        return True  # Crash messages carry process ids and timings; the status says enough.
    return outcomes_agree(a, b)


def differences(old: dict, new: dict) -> list[str]:
    lines = []
    if old["suite"]["sha256"] != new["suite"]["sha256"]:
        lines.append(f"vectors differ: {old['suite']['version']} -> {new['suite']['version']}")
    old_results, new_results = old["results"], new["results"]
    for backend in sorted(old_results.keys() - new_results.keys()):
        lines.append(f"{backend}: only in the old results")
    for backend in sorted(new_results.keys() - old_results.keys()):
        lines.append(f"{backend}: only in the new results")
    for backend in sorted(old_results.keys() & new_results.keys()):
        before, after = old_results[backend], new_results[backend]
        for test_id in sorted(before.keys() - after.keys()):
            lines.append(f"{backend} {test_id}: only in the old results")
        for test_id in sorted(after.keys() - before.keys()):
            lines.append(f"{backend} {test_id}: only in the new results")
        for test_id in sorted(before.keys() & after.keys()):
            if not _same(before[test_id], after[test_id]):
                was, now = before[test_id], after[test_id]
                lines.append(
                    f"{backend} {test_id}: {was.get('status')} {_short(was.get('got'))} -> "
                    f"{now.get('status')} {_short(now.get('got'))}"
                )
    return lines


def _short(outcome: dict | None) -> str:
    if not outcome:
        return "-"
    kind = outcome.get("kind")
    if kind == "scalar":
        return outcome["bits"]
    if kind == "array":
        return f"[{len(outcome['bits'])} values]"
    if kind == "error":
        return outcome["code"]
    return str(kind)


def main(old_path: Path, new_path: Path) -> int:
    old = json.loads(Path(old_path).read_text())
    new = json.loads(Path(new_path).read_text())
    lines = differences(old, new)
    print("\n".join(lines) if lines else "no differences")
    return 1 if lines else 0
