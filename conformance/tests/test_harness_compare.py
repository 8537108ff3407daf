"""Bit comparison and ULP distances: every bit counts (NaN sign and payload, the sign of zero), formats
never mix."""

from __future__ import annotations

import numpy as np
import pytest

from harness import codec
from harness.compare import (
    CODE_MISMATCH,
    ERRORED,
    FAIL,
    PASS,
    compare_penalty,
    judge,
    outcomes_agree,
    same_bits,
    ulp_distance,
)


def h64(x: float) -> str:
    return codec.encode_scalar(x, "float64")


def h32(x: float) -> str:
    return codec.encode_scalar(x, "float32")


CANONICAL64, CANONICAL32 = "0x7ff8000000000000", "0x7fc00000"


@pytest.mark.parametrize(
    "canonical, other",
    [
        (CANONICAL64, "0xfff8000000000000"),  # x86's default NaN from 0 * inf: the sign differs
        (CANONICAL64, "0x7ff8000000000001"),  # a payload
        (CANONICAL64, "0x7ff0000000000001"),  # a signalling NaN
        (CANONICAL32, "0xffc00000"),
        (CANONICAL32, "0x7fc00001"),
    ],
)
def test_nan_bits_are_compared_exactly(canonical, other):
    assert same_bits(canonical, canonical)
    assert not same_bits(canonical, other)
    assert ulp_distance(canonical, other) is None
    verdict = judge({"expected": canonical}, {"kind": "scalar", "bits": other})
    assert verdict.status == FAIL
    assert verdict.ulp is None
    assert "NaN bits differ" in verdict.reason
    assert judge({"expected": canonical}, {"kind": "scalar", "bits": canonical}).status == PASS


def test_nan_against_a_number_is_no_ulp_distance():
    assert not same_bits(CANONICAL64, h64(np.inf))
    assert ulp_distance(CANONICAL64, h64(1.0)) is None
    verdict = judge({"expected": h64(1.0)}, {"kind": "scalar", "bits": CANONICAL64})
    assert verdict.status == FAIL
    assert "NaN against a number" in verdict.reason


def test_nan_in_an_array_is_named_in_the_reason():
    expected = [h64(1.0), CANONICAL64]
    verdict = judge({"expected": expected}, {"kind": "array", "bits": [h64(1.0), "0xfff8000000000000"]})
    assert verdict.status == FAIL
    assert verdict.ulp is None
    assert "1 of 2" in verdict.reason
    assert "NaN bits differ" in verdict.reason
    assert "-nan" in verdict.reason  # The decoded value shows the sign that differs.


def test_signed_zero_counts_but_is_zero_ulp_apart():
    assert not same_bits(h64(0.0), h64(-0.0))
    assert not same_bits(h32(0.0), h32(-0.0))
    assert ulp_distance(h64(0.0), h64(-0.0)) == 0
    verdict = judge({"expected": h64(0.0)}, {"kind": "scalar", "bits": h64(-0.0)})
    assert verdict.status == FAIL
    assert "sign of zero" in verdict.reason


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_ulp_distance_counts_representable_steps(dtype):
    one = np.array(1.0, dtype)
    up = np.nextafter(one, np.array(2.0, dtype))
    two_up = np.nextafter(up, np.array(2.0, dtype))
    enc = lambda x: codec.encode_scalar(x, dtype)  # noqa: E731
    assert ulp_distance(enc(one), enc(up)) == 1
    assert ulp_distance(enc(two_up), enc(one)) == 2
    tiny = np.finfo(dtype).smallest_subnormal
    assert ulp_distance(enc(tiny), enc(-tiny)) == 2  # Through both zeros, which coincide.
    assert ulp_distance(enc(np.finfo(dtype).max), enc(np.inf)) == 1


def test_formats_never_match_each_other():
    assert not same_bits(h64(1.0), h32(1.0))
    assert ulp_distance(h64(1.0), h32(1.0)) is None
    verdict = judge({"expected": h32(1.0)}, {"kind": "scalar", "bits": h64(1.0)})
    assert verdict.status == FAIL
    assert "float64" in verdict.reason


def test_arrays_report_count_first_index_and_worst_ulp():
    expected = [h64(1.0), h64(2.0), h64(3.0)]
    got = [h64(1.0), h64(np.nextafter(2.0, 3.0)), h64(np.nextafter(np.nextafter(3.0, 4.0), 4.0))]
    verdict = judge({"expected": expected}, {"kind": "array", "bits": got})
    assert verdict.status == FAIL
    assert verdict.ulp == 2
    assert "2 of 3" in verdict.reason
    assert "[1]" in verdict.reason
    assert judge({"expected": expected}, {"kind": "array", "bits": expected}).status == PASS
    assert judge({"expected": expected}, {"kind": "array", "bits": expected[:2]}).status == FAIL


def test_error_codes_are_compared_by_name():
    test = {"expected_error": "invalid_lambda"}
    assert judge(test, {"kind": "error", "code": "invalid_lambda"}).status == PASS
    assert judge(test, {"kind": "error", "code": "invalid_step"}).status == CODE_MISMATCH
    assert judge(test, {"kind": "scalar", "bits": h64(1.0)}).status == CODE_MISMATCH
    assert judge({"expected": h64(1.0)}, {"kind": "error", "code": "invalid_step"}).status == CODE_MISMATCH
    assert judge(test, {"kind": "crash", "message": "boom"}).status == ERRORED


def test_penalties_match_on_type_parameter_bits_and_factor_bits():
    p = {"type": "l1", "lam": h64(0.1), "penalty_factor": [h64(0.0), h64(1.0)]}
    assert compare_penalty(p, dict(p)).status == PASS
    assert compare_penalty(p, {**p, "type": "l2"}).status == FAIL
    assert compare_penalty(p, {**p, "lam": h64(np.nextafter(0.1, 1.0))}).ulp == 1
    assert compare_penalty(p, {**p, "penalty_factor": [h64(-0.0), h64(1.0)]}).status == FAIL
    assert compare_penalty(p, {"type": "l1", "lam": h64(0.1)}).status == FAIL
    assert (
        compare_penalty(
            {"type": "elastic_net", "l1": h64(1.0), "l2": h64(0.0)}, {"type": "elastic_net", "l1": h64(1.0)}
        ).status
        == FAIL
    )


def test_config_roundtrip_text_is_reread_by_pythons_json():
    expected = {"type": "l2", "lam": h64(0.1)}
    outcome = {"kind": "penalty", "penalty": dict(expected)}
    good = judge({"expected": expected}, {**outcome, "config_text": '{"type": "l2", "lam": 0.1}'})
    assert good.status == PASS
    # The backend read its own text back correctly, but wrote too few digits for anyone else.
    short = judge({"expected": expected}, {**outcome, "config_text": '{"type": "l2", "lam": 0.1000001}'})
    assert short.status == FAIL
    assert "json" in short.reason
    broken = judge({"expected": expected}, {**outcome, "config_text": "{'type': 'l2'}"})
    assert broken.status == FAIL


def test_outcomes_agree_is_bitwise():
    a = {"kind": "array", "bits": [h64(0.0), "0x7ff8000000000000"]}
    assert outcomes_agree(a, {"kind": "array", "bits": [h64(0.0), "0x7ff8000000000000"]})
    assert not outcomes_agree(a, {"kind": "array", "bits": [h64(0.0), "0x7ff8000000000001"]})
    assert not outcomes_agree(
        {"kind": "scalar", "bits": CANONICAL32}, {"kind": "scalar", "bits": "0xffc00000"}
    )
    assert not outcomes_agree(a, {"kind": "array", "bits": [h64(-0.0), "0x7ff8000000000000"]})
    assert outcomes_agree({"kind": "error", "code": "x"}, {"kind": "error", "code": "x"})
    assert not outcomes_agree({"kind": "crash"}, {"kind": "crash"})
