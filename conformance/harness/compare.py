"""Bit-level comparison of a backend's outcome with a vector's expectation, and ULP distances.

Outcomes travel between processes in the vectors' own encoding (hex bit patterns), so every
comparison here is on integers. Spec 2.0 makes every NaN a backend outputs the canonical quiet NaN,
so NaNs are compared bit for bit like everything else, and +0 and -0 differ.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from harness import codec, inputs

# Outcome statuses of one (test, backend) cell, in the order the reports list them.
PASS = "pass"
FAIL = "fail"
CODE_MISMATCH = "code-mismatch"
ERRORED = "errored"
UNSUPPORTED = "unsupported"
UNAVAILABLE = "unavailable"
DRIFT = "drift"
XFAIL = "xfail"
STATUSES = (PASS, FAIL, CODE_MISMATCH, ERRORED, DRIFT, XFAIL, UNSUPPORTED, UNAVAILABLE)

_DIGITS_TO_DTYPE = {18: "float64", 10: "float32"}
_SIGN = {"float64": 1 << 63, "float32": 1 << 31}
_EXP_MASK = {"float64": 0x7FF << 52, "float32": 0xFF << 23}
_FRAC_MASK = {"float64": (1 << 52) - 1, "float32": (1 << 23) - 1}


def hex_dtype(hex_value: str) -> str:
    """The format a hex bit pattern encodes, told by its width alone."""
    try:
        return _DIGITS_TO_DTYPE[len(hex_value)]
    except KeyError:
        raise ValueError(f"not a float bit pattern: {hex_value!r}") from None


def is_nan(hex_value: str) -> bool:
    dtype = hex_dtype(hex_value)
    bits = int(hex_value, 16)
    return (bits & _EXP_MASK[dtype]) == _EXP_MASK[dtype] and (bits & _FRAC_MASK[dtype]) != 0


def same_bits(expected: str, got: str) -> bool:
    """Bit equality of two encoded floats of one format, NaN sign and payload included."""
    return hex_dtype(expected) == hex_dtype(got) and int(expected, 16) == int(got, 16)


def nan_name(hex_value: str) -> str:
    """The canonical quiet NaN reads "nan"; any other NaN shows its sign, kind and payload."""
    dtype = hex_dtype(hex_value)
    bits = int(hex_value, 16)
    quiet = 1 << (51 if dtype == "float64" else 22)
    sign = "-" if bits & _SIGN[dtype] else ""
    kind = "nan" if bits & quiet else "snan"
    payload = bits & _FRAC_MASK[dtype] & ~quiet
    return f"{sign}{kind}" + (f"(payload 0x{payload:x})" if payload else "")


def _ordinal(hex_value: str) -> int:
    """Position of a float on the number line counted in ULPs; both zeros map to 0."""
    dtype = hex_dtype(hex_value)
    bits = int(hex_value, 16)
    magnitude = bits & ~_SIGN[dtype]
    return -magnitude if bits & _SIGN[dtype] else magnitude


def ulp_distance(expected: str, got: str) -> int | None:
    """How many representable values lie between two floats of one format (infinities count as
    one step past the largest finite value). None when either side is a NaN (NaNs have no place
    on the number line) or the formats differ; 0 for +0 against -0 (the sign is reported
    separately by `why_differ`)."""
    if hex_dtype(expected) != hex_dtype(got) or is_nan(expected) or is_nan(got):
        return None
    return abs(_ordinal(expected) - _ordinal(got))


def why_differ(expected: str, got: str) -> str:
    """In a few words, how two different bit patterns of one format differ."""
    if is_nan(expected) and is_nan(got):
        return "NaN bits differ (sign or payload)"
    if is_nan(expected) or is_nan(got):
        return "NaN against a number"
    ulp = ulp_distance(expected, got)
    return "sign of zero differs" if ulp == 0 else f"{ulp} ulp"


def decimal(hex_value: str) -> str:
    """The shortest decimal that reads back to the same float, for humans reading a mismatch; a
    NaN shows its sign and payload, since those bits count."""
    dtype = hex_dtype(hex_value)
    if is_nan(hex_value):
        return nan_name(hex_value)
    value = codec.decode_scalar(hex_value, dtype)
    if dtype == "float32":
        return str(value)  # numpy prints the shortest float32 repr, not the widened binary64 one
    return repr(float(value))


@dataclass
class Verdict:
    """The comparison's result: a status, a one-line reason and the ULP distance when it applies."""

    status: str
    reason: str = ""
    ulp: int | None = None


def _compare_scalar(expected: str, got: str) -> Verdict:
    if hex_dtype(expected) != hex_dtype(got):
        return Verdict(FAIL, f"result is {hex_dtype(got)}, expected {hex_dtype(expected)}")
    if same_bits(expected, got):
        return Verdict(PASS)
    return Verdict(
        FAIL,
        f"expected {expected} ({decimal(expected)}), got {got} ({decimal(got)}): {why_differ(expected, got)}",
        ulp_distance(expected, got),
    )


def _compare_array(expected: list[str], got: list[str]) -> Verdict:
    if len(expected) != len(got):
        return Verdict(FAIL, f"length {len(got)}, expected {len(expected)}")
    if expected and got and hex_dtype(expected[0]) != hex_dtype(got[0]):
        return Verdict(FAIL, f"result is {hex_dtype(got[0])}, expected {hex_dtype(expected[0])}")
    wrong = [i for i, (e, g) in enumerate(zip(expected, got, strict=True)) if not same_bits(e, g)]
    if not wrong:
        return Verdict(PASS)
    distances = [ulp_distance(expected[i], got[i]) for i in wrong]
    worst = None if None in distances else max(distances)
    first = wrong[0]
    e, g = expected[first], got[first]
    return Verdict(
        FAIL,
        f"{len(wrong)} of {len(expected)} elements differ; first [{first}]: expected {e} "
        f"({decimal(e)}), got {g} ({decimal(g)}): {why_differ(e, g)}; "
        f"max ulp {worst if worst is not None else 'n/a (a NaN differs)'}",
        worst,
    )


def _param_bits(penalty: dict) -> dict[str, str]:
    return {k: v for k, v in penalty.items() if k not in ("type", "penalty_factor")}


def compare_penalty(expected: dict, got: dict) -> Verdict:
    """Penalties match when type, parameter bits and factor bits all match."""
    if expected.get("type") != got.get("type"):
        return Verdict(FAIL, f"type {got.get('type')!r}, expected {expected.get('type')!r}")
    want, have = _param_bits(expected), _param_bits(got)
    if set(want) != set(have):
        return Verdict(FAIL, f"parameters {sorted(have)}, expected {sorted(want)}")
    for key in sorted(want):
        if not same_bits(want[key], have[key]):
            return Verdict(
                FAIL,
                f"{key}: expected {want[key]} ({decimal(want[key])}), got {have[key]} ({decimal(have[key])})",
                ulp_distance(want[key], have[key]),
            )
    want_f, have_f = expected.get("penalty_factor"), got.get("penalty_factor")
    if (want_f is None) != (have_f is None):
        return Verdict(FAIL, f"penalty_factor {'absent' if have_f is None else 'present'}")
    if want_f is not None:
        verdict = _compare_array(want_f, have_f)
        if verdict.status != PASS:
            return Verdict(FAIL, f"penalty_factor: {verdict.reason}", verdict.ulp)
    return Verdict(PASS)


def penalty_from_json_text(text: str) -> dict:
    """Reads a backend's configuration JSON with Python's own parser (correctly rounded) and encodes
    it like the vectors, so that cross-language readability is checked independently of the
    backend that wrote it."""
    config = json.loads(text)
    if not isinstance(config, dict):
        raise TypeError("configuration is not a JSON object")
    encoded: dict = {"type": config.get("type")}
    for key, value in config.items():
        if key == "type":
            continue
        if key == "penalty_factor":
            if value is not None:
                encoded[key] = codec.encode_array(np.array([float(v) for v in value], np.float64))
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError(f"{key} is not a JSON number: {value!r}")
        encoded[key] = codec.encode_scalar(float(value))
    return encoded


def judge(test: dict, outcome: dict) -> Verdict:
    """Compares one worker outcome (see worker.py) with a test's `expected` or `expected_error`."""
    kind = outcome.get("kind")
    if kind == "crash":
        return Verdict(ERRORED, outcome.get("message", "crashed"))
    if "expected_error" in test:
        want = test["expected_error"]
        if kind == "error":
            if outcome["code"] == want:
                return Verdict(PASS)
            return Verdict(CODE_MISMATCH, f"expected error {want}, got error {outcome['code']}")
        return Verdict(CODE_MISMATCH, f"expected error {want}, got {describe(outcome)}")
    if kind == "error":
        return Verdict(CODE_MISMATCH, f"expected a result, got error {outcome['code']}")
    expected = test["expected"]
    if isinstance(expected, dict):
        if kind != "penalty":
            return Verdict(FAIL, f"expected a penalty, got {describe(outcome)}")
        verdict = compare_penalty(expected, outcome["penalty"])
        if verdict.status == PASS and "config_text" in outcome:
            try:
                reread = penalty_from_json_text(outcome["config_text"])
            except (ValueError, TypeError) as e:
                return Verdict(FAIL, f"to_config output is not readable JSON config: {e}")
            verdict = compare_penalty(expected, reread)
            if verdict.status != PASS:
                verdict.reason = f"to_config text read by Python's json: {verdict.reason}"
        return verdict
    if isinstance(expected, list):
        if kind != "array":
            return Verdict(FAIL, f"expected an array, got {describe(outcome)}")
        want_shape = inputs.expected_shape(test)
        if want_shape is None:
            want_shape = [len(expected)]
        got_shape = outcome.get("shape", [len(outcome["bits"])])
        if list(got_shape) != want_shape:
            return Verdict(FAIL, f"result has shape {tuple(got_shape)}, expected {tuple(want_shape)}")
        return _compare_array(expected, outcome["bits"])
    if kind != "scalar":
        return Verdict(FAIL, f"expected a scalar, got {describe(outcome)}")
    return _compare_scalar(expected, outcome["bits"])


def describe(outcome: dict) -> str:
    """A short human description of an outcome, for mismatch messages."""
    kind = outcome.get("kind")
    if kind == "scalar":
        return f"{outcome['bits']} ({decimal(outcome['bits'])})"
    if kind == "array":
        return f"an array of {len(outcome['bits'])}: {abbreviate(outcome['bits'])}"
    if kind == "penalty":
        return f"penalty {outcome['penalty']}"
    if kind == "error":
        return f"error {outcome['code']}"
    return str(kind)


def abbreviate(values: list, head: int = 4, tail: int = 2) -> str:
    """A long list shown as its first and last few elements, decoded to decimal when they are floats."""

    def show(v: object) -> str:
        if isinstance(v, str) and v.startswith("0x") and len(v) in _DIGITS_TO_DTYPE:
            return decimal(v)
        return repr(v)

    if len(values) <= head + tail + 1:
        return "[" + ", ".join(show(v) for v in values) + "]"
    shown = [show(v) for v in values[:head]] + ["..."] + [show(v) for v in values[-tail:]]
    return f"[{', '.join(shown)}] (n={len(values)})"


def finite_median(values: list[int]) -> float:
    """Median of ULP distances (NaN for none), for the drift summary."""
    return float(np.median(values)) if values else math.nan


def outcomes_agree(a: dict, b: dict) -> bool:
    """Whether two backends returned the same thing for one test (same code, or the same bits)."""
    kind = a.get("kind")
    if kind != b.get("kind") or kind == "crash":
        return False
    if kind == "error":
        return a["code"] == b["code"]
    if kind == "scalar":
        return same_bits(a["bits"], b["bits"])
    if kind == "array":
        shapes = a.get("shape", [len(a["bits"])]), b.get("shape", [len(b["bits"])])
        return shapes[0] == shapes[1] and all(
            same_bits(x, y) for x, y in zip(a["bits"], b["bits"], strict=True)
        )
    return compare_penalty(a["penalty"], b["penalty"]).status == PASS
