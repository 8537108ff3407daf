"""Issue 14 §1: a suite that is not regpen's own runs clean. The default expected-failure lists
name the suite they belong to, so on another suite they are not applied and nothing is "stale"."""

from __future__ import annotations

import custom_suite

from harness import expected, report, vectors
from harness.runner import Options, run


def test_custom_suite_files_are_up_to_date():
    for name, data in custom_suite.files().items():
        assert (custom_suite.DIRECTORY / name).read_bytes() == data, (
            f"tests/data/custom_suite/{name} is stale: run `python conformance/tests/custom_suite.py`"
        )


def test_every_default_list_with_entries_names_the_regpen_suite():
    for path in sorted(expected.DEFAULT_DIR.glob("*.txt")):
        listed = expected.load(path.parent, path.stem)
        assert listed.problems == [], listed.problems
        if listed.entries:
            assert listed.suite is not None and listed.suite[0] == "regpen", path.name


def test_a_custom_suite_runs_clean_with_the_default_lists(tmp_path):
    suite = vectors.load_suite(custom_suite.DIRECTORY)
    assert (suite.name, suite.version) == (custom_suite.NAME, custom_suite.VERSION)
    options = Options(
        backends=["reference", "python-seed"],  # Both are Python: no JVM or native build needed.
        timing_file=None,
        log_dir=tmp_path / "logs",
        progress=False,
    )
    result = run(suite, options)
    assert result.violations == []
    assert not result.failed()
    # The seed's list is about the default suite's invalid-lambda tests, which this suite lacks.
    assert any(n.startswith("python-seed.txt is for suite regpen") for n in result.notes)
    cells = result.cells["python-seed"]
    assert {c.status for c in cells.values()} <= {"pass", "drift"}
    if next(i for i in result.backends if i.name == "reference").unavailable is None:
        assert {c.status for c in result.cells["reference"].values()} == {"pass"}
    assert "suite custom-adversarial 0.1.0" in report.markdown(result)
