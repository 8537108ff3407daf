"""Reports and the command line: JUnit XML parses, every report names the vectors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import harness_fakes as fakes
import pytest

from harness import report, vectors
from harness.runner import Options, run


@pytest.fixture
def result(tmp_path):
    tests = [
        fakes.value_test(0, [1.0, -2.0], 0.5, 1.5),
        fakes.value_test(1, [1.0], -1.0, None, "invalid_lambda"),
        fakes.value_test(2, [1.0, fakes.ABORT], 1.0, 14.0),
    ]
    suite = vectors.load_suite(fakes.write_suite(tmp_path / "vectors", tests))
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir()
    for name in ("fake-honest", "fake-off-by-one", "fake-teaching"):
        (expected_dir / f"{name}.txt").touch()
    options = Options(
        backends=["fake-honest", "fake-off-by-one", "fake-teaching", "fake-missing"],
        registry=fakes.REGISTRY,
        expected_dir=expected_dir,
        timing_file=None,
        log_dir=tmp_path / "logs",
        extra_path=[str(fakes.HERE)],
        progress=False,
    )
    return run(suite, options)


def test_junit_xml_parses_and_counts(tmp_path, result):
    paths = report.write_all(result, tmp_path / "reports")
    root = ET.parse(paths[1]).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["fake-honest"].get("tests") == "3"
    assert suites["fake-honest"].get("errors") == "1"  # The abort.
    assert suites["fake-off-by-one"].get("failures") == "3"  # Wrong bits, no error, no crash.
    assert suites["fake-missing"].get("skipped") == "3"
    assert int(suites["harness"].get("failures")) == len(result.violations) > 0
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["suite_version"] == "0.0.1"
    assert properties["sha256:value.json"] == result.suite.hashes["value.json"]


def test_markdown_and_json_name_the_vectors_and_the_agreement(tmp_path, result):
    paths = report.write_all(result, tmp_path / "reports")
    text = paths[0].read_text()
    assert result.suite.hashes["value.json"] in text
    assert "## Pairwise agreement" in text
    same, both = report.agreement(result)[("fake-honest", "fake-off-by-one")]
    assert (same, both) == (0, 2)  # They differ on the value and on the missing validation.
    data = json.loads(paths[2].read_text())
    assert data["suite"]["sha256"] == result.suite.hashes
    got = data["results"]["fake-honest"]["value/l1/float64/fake/0"]
    assert got == {"status": "pass", "got": {"kind": "scalar", "bits": "0x3ff8000000000000"}}
    assert data["verdict"] == "failed"


def test_terminal_matrix_fits_in_120_columns(result):
    matrix = report.terminal_matrix(result)
    assert max(len(line) for line in matrix.splitlines()) <= 120
    assert "fake-missing" in matrix
    assert "unavailable" in matrix


def test_drift_summary_reports_ulps(result):
    (summary,) = report.drift_summary(result)
    assert summary["backend"] == "fake-teaching"
    assert summary["drifted"] == 2  # One ulp above 1.5 and above 14; the error case is no drift.
    assert summary["max_ulp"] == 1
    assert summary["without_ulp"] == 0


def harness_cli(*args, cwd):
    env = {**os.environ, "PYTHONPATH": fakes.python_path()}
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_exit_codes(tmp_path):
    vector_dir = fakes.write_suite(tmp_path / "vectors", [fakes.value_test(0, [1.0], 2.0, 2.0)])
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir()
    (expected_dir / "fake-honest.txt").touch()
    (expected_dir / "fake-off-by-one.txt").touch()
    common = [
        "--vectors",
        str(vector_dir),
        "--registry",
        fakes.REGISTRY,
        "--expected-failures",
        str(expected_dir),
    ]
    common += ["--reports", str(tmp_path / "reports"), "--no-timing"]
    ok = harness_cli("run", *common, "--backend", "fake-honest", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "suite fake 0.0.1" in ok.stdout
    bad = harness_cli("run", *common, "--backend", "fake-honest,fake-off-by-one", cwd=tmp_path)
    assert bad.returncode == 1
    assert "0x4000000000000001" in bad.stdout  # The wrong bits are shown in hex.
    # Bytes that differ from the manifest stop the run before any backend starts.
    (vector_dir / "value.json").write_text((vector_dir / "value.json").read_text().replace("fake", "fakf"))
    tampered = harness_cli("run", *common, "--backend", "fake-honest", cwd=tmp_path)
    assert tampered.returncode == 2
    assert "differs from the manifest" in tampered.stderr


def test_cli_help_documents_the_flags(tmp_path):
    shown = harness_cli("run", "--help", cwd=tmp_path).stdout
    for flag in ("--backend", "--require", "--vectors", "--reports", "--strict-timing", "--timeout"):
        assert flag in shown


def test_diff_reports_changed_bits_and_statuses(result):
    from harness import diff

    old = json.loads(json.dumps(report.results_json(result)))
    new = json.loads(json.dumps(old))
    assert diff.differences(old, new) == []
    cell = new["results"]["fake-honest"]["value/l1/float64/fake/0"]
    cell["got"]["bits"] = "0x3ff8000000000001"
    del new["results"]["fake-teaching"]
    changes = diff.differences(old, new)
    assert "fake-teaching: only in the old results" in changes
    assert (
        "fake-honest value/l1/float64/fake/0: pass 0x3ff8000000000000 -> pass 0x3ff8000000000001" in changes
    )
    # NaN bits count like any others: another payload or sign is a change.
    old["results"]["fake-honest"]["value/l1/float64/fake/0"]["got"]["bits"] = "0x7ff8000000000000"
    cell["got"]["bits"] = "0xfff8000000000000"
    assert any("fake/0" in line and "0xfff8000000000000" in line for line in diff.differences(old, new))
    cell["got"]["bits"] = "0x7ff8000000000000"
    assert not any("fake/0" in line for line in diff.differences(old, new))
