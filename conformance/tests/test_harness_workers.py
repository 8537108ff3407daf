"""Crash isolation: an aborting or hanging backend costs its own cell, and the run goes on.

These run real worker processes with the test-only fakes (harness_fakes.py), never the JVM or the
native build.
"""

from __future__ import annotations

import harness_fakes as fakes
import pytest

from harness import vectors
from harness.compare import CODE_MISMATCH, DRIFT, ERRORED, FAIL, PASS, UNAVAILABLE
from harness.runner import Options, run


def options(tmp_path, backends, **extra) -> Options:
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir(exist_ok=True)
    for name in backends:
        (expected_dir / f"{name}.txt").touch()
    return Options(
        backends=backends,
        registry=fakes.REGISTRY,
        expected_dir=expected_dir,
        timing_file=None,
        log_dir=tmp_path / "logs",
        extra_path=[str(fakes.HERE)],
        progress=False,
        **extra,
    )


@pytest.fixture
def suite(tmp_path):
    return vectors.load_suite(fakes.write_suite(tmp_path / "vectors", fakes.standard_tests()))


def statuses(result, backend):
    return [result.cells[backend][t["id"]].status for t in result.tests]


def test_abort_and_hang_cost_one_cell_each(tmp_path, suite):
    result = run(suite, options(tmp_path, ["fake-honest"], timeout=3.0, batch_size=50))
    assert statuses(result, "fake-honest") == [PASS, PASS, PASS, ERRORED, ERRORED, PASS, ERRORED, PASS]
    cells = result.cells["fake-honest"]
    assert "SIGABRT" in cells["value/l1/float64/fake/3"].reason
    assert "hang" in cells["value/l1/float64/fake/4"].reason
    assert "status 3" in cells["value/l1/float64/fake/6"].reason
    assert len(result.violations) == 3  # Each crash is an unlisted failure.
    assert result.failed()


def test_batches_of_one_attribute_crashes_the_same_way(tmp_path, suite):
    result = run(suite, options(tmp_path, ["fake-honest"], timeout=3.0, batch_size=1))
    assert statuses(result, "fake-honest") == [PASS, PASS, PASS, ERRORED, ERRORED, PASS, ERRORED, PASS]


def test_listed_crashes_make_the_run_pass(tmp_path, suite):
    opts = options(tmp_path, ["fake-honest"], timeout=3.0)
    (opts.expected_dir / "fake-honest.txt").write_text(
        f"# suite: {fakes.SUITE_NAME}\n"
        "value/l1/float64/fake/3  # aborts on purpose\n"
        "value/l1/float64/fake/4  # hangs on purpose\n"
        "value/l1/float64/fake/6  # exits on purpose\n"
    )
    result = run(suite, opts)
    assert result.violations == []
    assert not result.failed()


def test_wrong_bits_fail_but_teaching_drifts(tmp_path):
    tests = [fakes.value_test(0, [1.0], 1.0, 1.0), fakes.value_test(1, [1.0], -1.0, None, "invalid_lambda")]
    suite = vectors.load_suite(fakes.write_suite(tmp_path / "vectors", tests))
    result = run(suite, options(tmp_path, ["fake-off-by-one", "fake-teaching"]))
    assert statuses(result, "fake-off-by-one") == [FAIL, CODE_MISMATCH]
    assert statuses(result, "fake-teaching") == [DRIFT, CODE_MISMATCH]
    assert result.cells["fake-teaching"]["value/l1/float64/fake/0"].ulp == 1
    # The teaching backend's drift is not a violation; its missing validation is, until listed.
    teaching_violations = [v for v in result.violations if v.startswith("fake-teaching")]
    assert len(teaching_violations) == 1
    assert "fake/1" in teaching_violations[0]


def test_unavailable_is_reported_and_fails_only_when_required(tmp_path, suite):
    result = run(suite, options(tmp_path, ["fake-missing"]))
    assert set(statuses(result, "fake-missing")) == {UNAVAILABLE}
    assert not result.failed()
    required = run(suite, options(tmp_path, ["fake-missing"], require=["fake-missing"]))
    assert required.failed()
    assert "not built" in required.required_missing[0]


def test_backends_naming_one_worker_share_its_process(tmp_path):
    suite = vectors.load_suite(fakes.write_suite(tmp_path / "v", [fakes.value_test(0, [1.0], 1.0, 1.0)]))
    result = run(suite, options(tmp_path, ["fake-shared-a", "fake-shared-b", "fake-honest"]))
    pid_a = result.cells["fake-shared-a"]["value/l1/float64/fake/0"].outcome["bits"]
    pid_b = result.cells["fake-shared-b"]["value/l1/float64/fake/0"].outcome["bits"]
    assert pid_a == pid_b
    assert {i.worker for i in result.backends} == {"fake-shared", "fake-honest"}
