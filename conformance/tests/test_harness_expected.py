"""Strict expected failures: the list must name exactly the failing tests, each with a reason."""

from __future__ import annotations

from pathlib import Path

from harness import expected
from harness.compare import CODE_MISMATCH, DRIFT, ERRORED, FAIL, PASS, UNSUPPORTED, XFAIL
from harness.runner import Cell

IDS = {"op/a/0", "op/a/1", "op/a/2", "op/a/3"}


def listing(tmp_path: Path, text: str) -> expected.ExpectedFailures:
    (tmp_path / "b.txt").write_text(text)
    return expected.load(tmp_path, "b")


def test_listed_failures_become_expected(tmp_path):
    listed = listing(tmp_path, "# header comment\nop/a/1  # known rounding bug\n\nop/a/2 # crashes on NaN\n")
    cells = {"op/a/0": Cell(PASS), "op/a/1": Cell(FAIL, "1 ulp"), "op/a/2": Cell(ERRORED, "SIGSEGV")}
    assert expected.apply(listed, cells, IDS) == []
    assert cells["op/a/1"].status == XFAIL
    assert "known rounding bug" in cells["op/a/1"].reason
    assert cells["op/a/2"].status == XFAIL


def test_unlisted_failure_is_a_violation(tmp_path):
    listed = listing(tmp_path, "")
    cells = {"op/a/0": Cell(PASS), "op/a/1": Cell(CODE_MISMATCH, "expected error invalid_step")}
    violations = expected.apply(listed, cells, IDS)
    assert len(violations) == 1
    assert "op/a/1" in violations[0]
    assert cells["op/a/1"].status == CODE_MISMATCH


def test_listed_test_that_passes_is_a_violation(tmp_path):
    listed = listing(tmp_path, "op/a/0  # was broken once\n")
    violations = expected.apply(listed, {"op/a/0": Cell(PASS)}, IDS)
    assert len(violations) == 1
    assert "passes" in violations[0]


def test_stale_entry_is_a_violation_but_a_filtered_one_is_not(tmp_path):
    listed = listing(tmp_path, "op/gone/9  # no longer generated\nop/a/3  # known\n")
    violations = expected.apply(listed, {"op/a/0": Cell(PASS)}, IDS)
    assert violations == ["b: stale expected failure op/gone/9 (no such test)"]


def test_listed_but_unsupported_is_a_violation(tmp_path):
    listed = listing(tmp_path, "op/a/0  # known\n")
    violations = expected.apply(listed, {"op/a/0": Cell(UNSUPPORTED, "no float32")}, IDS)
    assert len(violations) == 1
    assert "not run" in violations[0]


def test_entry_without_reason_and_duplicates_are_violations(tmp_path):
    listed = listing(tmp_path, "op/a/1\nop/a/2 # x\nop/a/2 # y\n")
    cells = {"op/a/1": Cell(FAIL), "op/a/2": Cell(FAIL)}
    violations = expected.apply(listed, cells, IDS)
    assert any("no '# reason'" in v for v in violations)
    assert any("listed twice" in v for v in violations)


def test_teaching_drift_needs_no_entry(tmp_path):
    listed = listing(tmp_path, "")
    assert expected.apply(listed, {"op/a/0": Cell(DRIFT, "1 ulp", 1)}, IDS) == []


def test_missing_file_is_reported(tmp_path):
    listed = expected.load(tmp_path, "nobody")
    assert expected.apply(listed, {}, IDS) == [f"{tmp_path / 'nobody.txt'} is missing (create it empty)"]
