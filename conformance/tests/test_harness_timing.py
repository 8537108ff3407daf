"""Timing checks: ratios measured through the workers, skipped when a side is unavailable, and
failing the run only under --strict-timing."""

from __future__ import annotations

import harness_fakes as fakes
import pytest

from harness import timing, vectors
from harness.runner import Options, run

CHECKS = """
[[check]]
name = "honest within a millionfold"
backend = "fake-honest"
baseline = "fake-off-by-one"
operation = "value"
penalty = "l1"
dtype = "float64"
n = 1000
repeats = 3
budget = 0.5
min_speed_ratio = 1e-6

[[check]]
name = "honest a millionfold faster"
backend = "fake-honest"
baseline = "fake-off-by-one"
operation = "value"
penalty = "l1"
dtype = "float64"
n = 1000
repeats = 3
budget = 0.5
min_speed_ratio = 1e6

[[check]]
name = "against a backend that is not built"
backend = "fake-honest"
baseline = "fake-missing"
operation = "value"
penalty = "l1"
dtype = "float64"
n = 1000
min_speed_ratio = 1
"""


def run_checks(tmp_path, strict: bool):
    (tmp_path / "timing.toml").write_text(CHECKS)
    suite = vectors.load_suite(fakes.write_suite(tmp_path / "v", [fakes.value_test(0, [1.0], 1.0, 1.0)]))
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir(exist_ok=True)
    (expected_dir / "fake-honest.txt").touch()
    (expected_dir / "fake-off-by-one.txt").write_text(
        f"# suite: {fakes.SUITE_NAME}\nvalue/l1/float64/fake/0  # one ulp high on purpose\n"
    )
    options = Options(
        backends=["fake-honest", "fake-off-by-one", "fake-missing"],
        registry=fakes.REGISTRY,
        expected_dir=expected_dir,
        timing_file=tmp_path / "timing.toml",
        strict_timing=strict,
        log_dir=tmp_path / "logs",
        extra_path=[str(fakes.HERE)],
        progress=False,
    )
    return run(suite, options)


def test_checks_pass_fail_and_skip(tmp_path):
    result = run_checks(tmp_path, strict=False)
    assert [c.status for c in result.timing] == ["pass", "fail", "skipped"]
    assert result.timing[0].ratio > 0
    assert result.timing[0].backend_seconds > 0
    assert "fake-missing" in result.timing[2].detail
    assert not result.failed()  # Timing is reported, not enforced, by default.


def test_strict_timing_fails_the_run(tmp_path):
    assert run_checks(tmp_path, strict=True).failed()


def test_malformed_checks_are_rejected(tmp_path):
    (tmp_path / "bad.toml").write_text('[[check]]\nname = "x"\nbackend = "a"\n')
    with pytest.raises(ValueError, match="lacks"):
        timing.load(tmp_path / "bad.toml")


def test_median_call_seconds_counts_calls():
    calls = []
    seconds, timed = timing.median_call_seconds(lambda: calls.append(1), repeats=3, budget=0.2)
    assert seconds > 0
    assert timed == len(calls) - 1  # The warm-up call is not timed.
