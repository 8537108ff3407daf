"""Strict expected failures: the list must name exactly the failing tests, each with a reason."""

from __future__ import annotations

from pathlib import Path

from harness import expected
from harness.compare import CODE_MISMATCH, DRIFT, ERRORED, FAIL, PASS, UNSUPPORTED, XFAIL
from harness.runner import Cell

IDS = {"op/a/0", "op/a/1", "op/a/2", "op/a/3"}


def listing(tmp_path: Path, text: str, header: str = "# suite: fake\n") -> expected.ExpectedFailures:
    (tmp_path / "b.txt").write_text(header + text)
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


def test_a_list_names_its_suite_with_or_without_a_version(tmp_path):
    any_version = listing(tmp_path, "op/a/1  # known\n")
    assert any_version.suite == ("fake", None)
    assert any_version.applies_to("fake", "0.0.1")
    assert any_version.applies_to("fake", "2.0.0")
    assert not any_version.applies_to("custom", "0.0.1")
    pinned = listing(tmp_path, "op/a/1  # known\n", header="# A comment first.\n# suite: fake 2.0.0\n")
    assert pinned.suite == ("fake", "2.0.0")
    assert pinned.applies_to("fake", "2.0.0")
    assert not pinned.applies_to("fake", "2.0.1")


def test_entries_without_a_suite_are_a_violation_but_an_empty_list_needs_none(tmp_path):
    nameless = listing(tmp_path, "op/a/1  # known\n", header="")
    assert any("names no suite" in v for v in expected.apply(nameless, {"op/a/1": Cell(FAIL)}, IDS))
    empty = listing(tmp_path, "# Real backends keep this empty.\n", header="")
    assert empty.applies_to("anything", "1.0.0")
    assert expected.apply(empty, {"op/a/0": Cell(PASS)}, IDS) == []


def test_malformed_suite_lines_are_violations(tmp_path):
    twice = listing(tmp_path, "# suite: other\nop/a/1  # known\n")
    assert any("one '# suite: NAME [VERSION]' line" in p for p in twice.problems)
    too_many = listing(tmp_path, "", header="# suite: a b c\n")
    assert too_many.problems


def test_a_run_on_another_suite_judges_only_that_suite(tmp_path):
    """Issue 14 §1: ids the other suite lacks are not stale there, and the list is not applied."""
    listed = listing(tmp_path, "op/gone/9  # from the default suite\nop/a/1  # known there\n")
    judged, note = expected.for_suite(listed, "custom", "0.1.0")
    assert note == "b.txt is for suite fake, not custom 0.1.0: its 2 entries are not applied"
    cells = {"op/a/0": Cell(PASS), "op/a/1": Cell(PASS)}
    assert expected.apply(judged, cells, {"op/a/0", "op/a/1"}) == []
    # Every failure counts on the other suite: the list's reasons were about its own tests.
    cells = {"op/a/1": Cell(CODE_MISMATCH, "expected error invalid_lambda")}
    assert len(expected.apply(judged, cells, {"op/a/1"})) == 1
    # On its own suite the list is strict as ever.
    same, note = expected.for_suite(listed, "fake", "1.2.3")
    assert note is None
    stale = expected.apply(same, {"op/a/1": Cell(FAIL)}, IDS)
    assert stale == ["b: stale expected failure op/gone/9 (no such test)"]
