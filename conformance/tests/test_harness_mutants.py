"""Mutants as test-only backends: every one must fail at least 3 vectors, the control none, and the
kill matrix appears in the console and in conformance.md. Uses fake mutants (harness_fakes), so
the test holds whatever oracle/mutants.py contains."""

from __future__ import annotations

import harness_fakes as fakes
import pytest

from harness import kills, report, vectors
from harness.runner import Options, run


@pytest.fixture
def suite(tmp_path):
    tests = [
        fakes.value_test(0, [1.0, -2.0], 0.5, 1.5),
        fakes.value_test(1, [3.0], 2.0, 6.0),
        fakes.value_test(2, [4.0, 4.0], 0.25, 2.0),
        fakes.value_test(3, [1.0], -1.0, None, "invalid_lambda"),
    ]
    return vectors.load_suite(fakes.write_suite(tmp_path / "vectors", tests))


def options(tmp_path, **overrides) -> Options:
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir(exist_ok=True)
    (expected_dir / "fake-honest.txt").touch()  # Mutants need no list: they are judged by kills.
    settings = {
        "registry": fakes.MUTANT_REGISTRY,
        "expected_dir": expected_dir,
        "timing_file": None,
        "log_dir": tmp_path / "logs",
        "extra_path": [str(fakes.HERE)],
        "progress": False,
        **overrides,
    }
    return Options(**settings)


def test_a_mutant_that_fails_too_few_vectors_fails_the_run(tmp_path, suite, capsys):
    result = run(suite, options(tmp_path))
    rows = {row.backend: row for row in result.kills}
    assert rows["mutant-one-ulp-up"].kills == {"value": 3}  # Every numeric vector, not the error one.
    assert rows["mutant-one-ulp-up"].ran == {"value": 3}
    assert rows["mutant-long-only"].total == 0
    assert rows["oracle-control"].total == 0
    assert result.failed()
    survived = [v for v in result.violations if "survived" in v]
    assert len(survived) == 1
    assert "mutant long-only survived: it fails 0 vectors" in survived[0]
    # Mutants are not conformance columns and need no expected-failure list.
    assert not any("one-ulp-up" in v for v in result.violations)
    assert "mutant-one-ulp-up" not in report.terminal_matrix(result)
    assert result.cells["mutant-one-ulp-up"]["value/l1/float64/fake/3"].status == "unsupported"

    report.print_summary(result)
    shown = capsys.readouterr().out
    rows = [line.split() for line in shown.splitlines() if line.startswith(("mutant-", "oracle-"))]
    matrix = {row[0]: row[1:] for row in rows}
    assert matrix["mutant-one-ulp-up"] == ["3/3", "3", "killed"]
    assert matrix["mutant-long-only"] == ["0/3", "0", "SURVIVED"]
    assert matrix["oracle-control"] == ["0/3", "0", "control", "ok"]
    markdown = report.markdown(result)
    assert "## Mutants (kill matrix)" in markdown
    assert "| mutant-one-ulp-up | 3/3 | 3 | killed |" in markdown
    assert "| oracle-control | 3/3 |" not in markdown  # The control fails nothing.
    assert "| oracle-control | 0/3 | 0 | control ok |" in markdown


def test_mutants_can_be_left_out(tmp_path, suite):
    result = run(suite, options(tmp_path, mutants=False))
    assert result.kills == []
    assert not result.failed()
    assert "mutants: none ran" in report.kill_matrix_lines(result)[0]


def test_a_control_that_fails_is_a_violation():
    row = kills.Row("oracle-control", "", True, {"value": 1}, {"value": 3})
    assert "no kill can be trusted" in kills.violations([row])[0]
    assert kills.table([row])[1][-1] == "CONTROL FAILED"


def test_operations_a_mutant_leaves_to_the_oracle_are_not_run():
    from harness.backends.mutants import MutantBackend
    from oracle import spec

    mutant = fakes.FakeMutant(
        "partial", "", {"value": fakes.FAKE_MUTANTS[0].operations["value"], "prox": spec.prox}
    )
    caps = MutantBackend(mutant).capabilities
    assert caps.operations == ("value",)
    assert "changes only value" in caps.gap("float64", "prox", [], "l1")
