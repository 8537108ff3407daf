"""Writes conformance/vectors/*.json from the exact oracle, deterministically (`make vectors`).

Every input comes from a `random.Random` seeded by the group id, so regeneration is byte for byte
identical on any machine; `--check DIR` fails when the checked-in files are stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from oracle import generators, spec
from oracle.ieee import (
    BINARY64,
    FORMATS,
    INF,
    NAN,
    Format,
    add,
    div,
    from_bits,
    is_representable,
    mul,
    round_exact,
    sub,
    to_bits,
    to_format,
)
from oracle.training import build_training_suite

SUITE_VERSION = "2.0.0"
SCHEMA = "regpen-vectors-2"
DTYPES = ("float64", "float32")
PENALTY_TYPES = ("l1", "l2", "elastic_net")

NOTES = {
    "seed": "The seed document's example: weights [0.5, -0.3, 0.0, 1.2], lambda 0.01.",
    "length": "Lengths 0-70 and around powers of two: every SIMD tail and unrolling remainder.",
    "magnitude": "Random values within one magnitude band (tiny, subnormal, huge, or the whole range).",
    "rounding_boundary": "The exact sum lies on, or within a tiny distance of, a rounding midpoint; "
    "naive, pairwise and plain SIMD summation round these the wrong way.",
    "cancellation": "Residuals y_true - y_pred of nearly equal large values.",
    "signed_zero": "Zeros of either sign, whose sign the result must keep or drop as the spec says.",
    "subnormal": "Subnormal inputs or results.",
    "overflow": "A sum, product or parameter that overflows to +inf.",
    "nan": "NaN inputs or NaN produced by an IEEE rule (0 x inf, inf - inf).",
    "infinity": "Infinite inputs.",
    "penalty_factor": "Per-coordinate penalty factors (glmnet's penalty.factor).",
    "mixed_dtype": "Arrays of different dtypes in one call; only dynamically typed languages can express it.",
    "parameter_rounding": "A binary64 parameter that is not a binary32 value, rounded for float32 inputs.",
    "invalid": "Input the spec rejects; the expected result is an error code.",
    "config": "The JSON configuration format.",
    "conversion": "Parameters converted from another library's convention.",
    "one_rounding": "The exact value rounded once differs from spec 1.0's step-by-step roundings "
    "(fl(lam x RN(S)), a rounded residual, fl(SSE / n), an overflowing partial sum).",
    "nan_payload": "NaN inputs with the sign bit or payload bits set; every NaN output is canonical.",
    "check_order": "Several errors at once: the code reported is the first in SPEC.md's check order.",
    "integer_input": "Integer elements (arg_dtypes int64, decimal strings), read as float64 by correct "
    "rounding; languages with typed float arrays cannot express them.",
    "ndarray": "Multi-dimensional w (or y), stored flat in C order with its shape in `shapes`.",
    "generated": "A long argument given as {generator, seed, n} (SPEC.md 6.1): the threaded and "
    "blocked paths of the kernels, some sums placed on a rounding midpoint.",
}


# ---------------------------------------------------------------- encoding


def hex_value(x: float, dtype: str) -> str:
    """An input's bit pattern; input NaNs keep their sign and payload."""
    fmt = FORMATS[dtype]
    if not is_representable(x, fmt):
        raise ValueError(f"{x!r} is not a {dtype} value: round generated inputs with in_format")
    digits = 16 if fmt is BINARY64 else 8
    return f"0x{to_bits(x, fmt):0{digits}x}"


def hex_list(xs: Iterable[float], dtype: str) -> list[str]:
    return [hex_value(x, dtype) for x in xs]


def hex_result(x: float, dtype: str) -> str:
    """An expected value's bit pattern: the oracle outputs only the canonical NaN (SPEC §2)."""
    encoded = hex_value(x, dtype)
    if math.isnan(x) and encoded not in CANONICAL_NAN.values():
        raise AssertionError(f"the oracle produced a non-canonical NaN {encoded}")
    return encoded


CANONICAL_NAN = {"float64": "0x7ff8000000000000", "float32": "0x7fc00000"}


def penalty_json(p: spec.Penalty) -> dict[str, object]:
    out: dict[str, object] = {"type": p.type}
    out.update({name: hex_value(v, "float64") for name, v in p.params.items()})
    if p.penalty_factor is not None:
        out["penalty_factor"] = hex_list(p.penalty_factor, "float64")
    return out


def raw_penalty_json(type_: str, params: dict[str, float], factor: list[float] | None = None) -> dict:
    """A penalty as given (possibly invalid), before the oracle validates it."""
    out: dict[str, object] = {"type": type_}
    out.update({name: hex_value(v, "float64") for name, v in params.items()})
    if factor is not None:
        out["penalty_factor"] = hex_list(factor, "float64")
    return out


# ---------------------------------------------------------------- inputs


def random_value(rng: random.Random, fmt: Format, lo_exp: int, hi_exp: int, signed: bool = True) -> float:
    """A random value of fmt with a uniformly random significand and exponent in [lo_exp, hi_exp]."""
    mantissa_bits = fmt.precision - 1
    e = rng.randint(lo_exp, hi_exp)
    if e < fmt.emin:  # subnormal band: fewer significant bits
        significand = rng.getrandbits(mantissa_bits) or 1
        x = math.ldexp(significand, fmt.emin - mantissa_bits)
    else:
        significand = (1 << mantissa_bits) | rng.getrandbits(mantissa_bits)
        x = math.ldexp(significand, e - mantissa_bits)
    return -x if signed and rng.random() < 0.5 else x


def random_vector(rng: random.Random, fmt: Format, n: int, lo_exp: int = -8, hi_exp: int = 8) -> list[float]:
    return [random_value(rng, fmt, lo_exp, hi_exp) for _ in range(n)]


def in_format(x: float | str, fmt: Format) -> float:
    """A decimal literal rounded once to fmt (what `0.3f` means in C or Java)."""
    return round_exact(Fraction(x), fmt) if x != 0 else float(x)


SEED_WEIGHTS = ("0.5", "-0.3", "0.0", "1.2")
SEED_LAMBDA = 0.01


def seed_penalty(type_: str) -> tuple[str, dict[str, float]]:
    if type_ == "elastic_net":
        return type_, {"l1": SEED_LAMBDA, "l2": SEED_LAMBDA}
    return type_, {"lam": SEED_LAMBDA}


def standard_penalty(rng: random.Random, type_: str) -> dict[str, float]:
    """Parameters that are ordinary binary64 numbers (mostly not binary32 values)."""
    pick = lambda: random_value(rng, BINARY64, -12, 2, signed=False)  # noqa: E731
    if type_ == "elastic_net":
        return {"l1": pick(), "l2": pick()}
    return {"lam": pick()}


def boundary_sum_pieces(rng: random.Random, fmt: Format, squares: bool, position: str) -> list[float]:
    """Weights whose exact Σ|w| (or Σw²) is a rounding midpoint of fmt, or a hair above or below it.

    A base term B is followed by small powers of two adding up to half an ulp of B (plus or minus a
    tiny amount), so any summation that rounds along the way loses the small terms.
    """
    p = fmt.precision
    span = 60 if fmt is BINARY64 else 20  # exponent band that keeps every term normal
    e = rng.randint(-span, span)
    if squares:
        # A square of a value with at most p//2 significant bits is exact in fmt.
        root_bits = p // 2
        root = math.ldexp((1 << (root_bits - 1)) | rng.getrandbits(root_bits - 1), e // 2 - root_bits)
        base = root * root
        base_entries = [root]
    else:
        base = random_value(rng, fmt, e, e, signed=False)
        base_entries = [base]
    base_exp = math.frexp(base)[1] - 1
    ulp_exp = base_exp - (p - 1)
    depth = rng.randint(2, 12)
    # Half an ulp as a sum of powers of two: 2^(u-2) + 2^(u-3) + ... + 2^(u-depth) + 2^(u-depth).
    exps = [ulp_exp - j for j in range(2, depth + 1)] + [ulp_exp - depth]
    if position == "above":
        exps.append(ulp_exp - depth - 8)
    elif position == "below":
        # Replace the last 2^(u-depth) by 2^(u-depth-1) + ... + 2^(u-depth-8): 2^(u-depth-8) short.
        exps.pop()
        exps.extend(ulp_exp - depth - j for j in range(1, 9))
    entries: list[float] = []
    for x in exps:
        if not squares:
            entries.append(math.ldexp(1.0, x))
        elif x % 2 == 0:
            entries.append(math.ldexp(1.0, x // 2))
        else:  # 2^x = 2 · (2^((x-1)/2))²
            entries.extend([math.ldexp(1.0, (x - 1) // 2)] * 2)
    entries = [-v if rng.random() < 0.5 else v for v in entries]
    if rng.random() < 0.5:
        rng.shuffle(entries)
        return base_entries + entries  # big first: left-to-right loops lose every small term
    everything = base_entries + entries
    rng.shuffle(everything)
    return everything


# ---------------------------------------------------------------- test assembly


class Suite:
    """Collects the groups of one vector file."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        self.groups: list[dict] = []

    def group(self, gid: str, comment: str) -> list[dict]:
        tests: list[dict] = []
        self.groups.append({"group": f"{self.operation}/{gid}", "comment": comment, "tests": tests})
        return tests

    def document(self) -> dict:
        for g in self.groups:
            for index, test in enumerate(g["tests"]):
                test["id"] = f"{g['group']}/{index}"
        count = sum(len(g["tests"]) for g in self.groups)
        return {
            "suite": "regpen",
            "suite_version": SUITE_VERSION,
            "schema": SCHEMA,
            "operation": self.operation,
            "number_of_tests": count,
            "notes": NOTES,
            "groups": self.groups,
        }


def run_case(compute: Callable[[], object]) -> tuple[str, object]:
    try:
        return "expected", compute()
    except spec.SpecError as error:
        return "expected_error", error.code


ARRAY_ARGS = ("w", "y_true", "y_pred")


def elements(arg: Sequence[float | int] | dict, dtype: str) -> Sequence[float]:
    """An argument's values for the oracle: generated arrays expanded (as binary64, exactly)."""
    if generators.is_generated(arg):
        return generators.expand(arg, dtype).astype(np.float64)
    return spec.elements(arg, dtype)


def encode_array(arg: Sequence[float | int] | dict, dtype: str) -> list[str] | dict:
    """Float elements as hex bit patterns; int64 elements as decimal strings; a generated argument
    as its generator object (SPEC §6)."""
    if generators.is_generated(arg):
        return dict(arg)
    if dtype == "int64":
        return [str(x) for x in arg]
    return hex_list(arg, dtype)


def numeric_test(
    operation: str,
    dtype: str,
    type_: str,
    params: dict[str, float],
    args: dict[str, object],
    comment: str,
    flags: list[str],
    factor: list[float] | None = None,
    *,
    arg_dtypes: dict[str, str] | None = None,
    shapes: dict[str, list[int]] | None = None,
) -> dict:
    """One value/gradient/prox/loss/l1_regularization test: inputs in dtype (or in their
    `arg_dtypes`), expected from the oracle after the checks in SPEC §4's order."""
    arg_dtypes = arg_dtypes or {}
    flags = set(flags)
    test: dict[str, object] = {"id": "", "comment": comment, "flags": []}
    test["operation"] = operation
    test["dtype"] = dtype
    if arg_dtypes:
        test["arg_dtypes"] = arg_dtypes
        if "int64" in arg_dtypes.values():
            flags.add("integer_input")
        if len({dtype, *arg_dtypes.values()} - {"int64"}) > 1 or (
            "int64" in arg_dtypes.values() and dtype == "float32"
        ):
            flags.add("mixed_dtype")
    if shapes:
        test["shapes"] = shapes
        flags.add("ndarray")
    if operation == "l1_regularization":
        type_, params = "l1", {"lam": args["lambda"]}
    else:
        test["penalty"] = raw_penalty_json(type_, params, factor)
    encoded_args: dict[str, object] = {}
    for name, arg in args.items():
        if name in ARRAY_ARGS:
            encoded_args[name] = encode_array(arg, arg_dtypes.get(name, dtype))
        else:
            encoded_args[name] = hex_value(arg, "float64")
    test["args"] = encoded_args
    if factor is not None:
        flags.add("penalty_factor")
    if any(generators.is_generated(arg) for arg in args.values()):
        flags.add("generated")

    def compute() -> object:
        p = spec.make_penalty(type_, params, factor)
        arrays = {
            name: elements(arg, arg_dtypes.get(name, dtype))
            for name, arg in args.items()
            if name in ARRAY_ARGS
        }
        fmt = spec.working_format([arg_dtypes.get(name, dtype) for name in arrays])
        if operation == "value":
            return hex_result(spec.value(p, arrays["w"], fmt), fmt.name)
        if operation == "l1_regularization":
            return hex_result(spec.l1_regularization(arrays["w"], args["lambda"], fmt), fmt.name)
        if operation == "gradient":
            return [hex_result(x, fmt.name) for x in spec.gradient(p, arrays["w"], fmt)]
        if operation == "prox":
            return [hex_result(x, fmt.name) for x in spec.prox(p, arrays["w"], args["step"], fmt)]
        if shapes:
            spec.same_shape(
                shapes.get("y_true", [len(arrays["y_true"])]), shapes.get("y_pred", [len(arrays["y_pred"])])
            )
        y_true, y_pred, w = arrays["y_true"], arrays["y_pred"], arrays["w"]
        return hex_result(spec.loss(p, y_true, y_pred, w, fmt), fmt.name)

    key, result = run_case(compute)
    test[key] = result
    if key == "expected_error":
        flags.add("invalid")
    test["flags"] = sorted(flags)
    return test


# ---------------------------------------------------------------- elementwise and value groups

LENGTHS_VALUE = [*range(71), 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 2053]
LENGTHS_ELEMENTWISE = [*range(41), 63, 64, 65, 127, 128, 129, 1025]


def special_vectors(fmt: Format) -> list[tuple[str, list[float], list[str]]]:
    big = 1e200 if fmt is BINARY64 else in_format("1e30", fmt)
    max_finite = round_exact(fmt.max_finite, fmt)
    tiny = math.ldexp(1.0, fmt.emin - fmt.precision + 1)  # smallest subnormal
    return [
        ("all zeros of both signs", [0.0, -0.0, 0.0, -0.0, -0.0], ["signed_zero"]),
        ("a single negative zero", [-0.0], ["signed_zero"]),
        ("NaN among ordinary values", [1.0, NAN, -2.0], ["nan"]),
        ("+inf among ordinary values", [1.0, INF, -2.0], ["infinity"]),
        ("-inf among ordinary values", [1.0, -INF, -2.0], ["infinity"]),
        ("NaN after an infinity", [INF, NAN], ["nan", "infinity"]),
        ("squares overflow, absolute values do not", [big, -big, big], ["overflow"]),
        ("absolute values overflow", [max_finite, max_finite, -max_finite], ["overflow"]),
        ("largest finite value alone", [max_finite], ["overflow"]),
        ("subnormals only", [tiny, -3 * tiny, 5 * tiny, -tiny], ["subnormal"]),
        ("subnormals beside a normal value", [1.0, tiny, -tiny, tiny * 7], ["subnormal"]),
        (
            "values whose squares underflow",
            [math.ldexp(1.0, fmt.emin // 2 - 5), -math.ldexp(3.0, fmt.emin // 2 - 9)],
            ["subnormal"],
        ),
    ]


def magnitude_bands(fmt: Format) -> list[tuple[str, int, int]]:
    low = fmt.emin - fmt.precision + 1
    return [
        ("tiny normal values", fmt.emin, fmt.emin + 40),
        ("subnormal values", low, fmt.emin - 1),
        ("huge values", fmt.emax - 40, fmt.emax),
        ("the whole exponent range", low, fmt.emax),
        ("values near one", -2, 2),
    ]


def penalty_parameter_cases(type_: str) -> list[tuple[str, dict[str, float], list[str]]]:
    """Edge parameters: zero, negative zero, huge, and values that overflow binary32."""

    def params(x: float) -> dict[str, float]:
        return {"l1": x, "l2": x} if type_ == "elastic_net" else {"lam": x}

    return [
        ("zero strength", params(0.0), ["signed_zero"]),
        ("negative zero strength is stored as +0", params(-0.0), ["signed_zero"]),
        ("strength 0.1 is not a binary32 value", params(0.1), ["parameter_rounding"]),
        ("huge strength overflows the product", params(1e300), ["overflow"]),
        ("strength beyond binary32's range", params(1e39), ["overflow", "parameter_rounding"]),
        ("smallest subnormal strength", params(5e-324), ["subnormal", "parameter_rounding"]),
    ]


def invalid_penalty_cases(type_: str) -> list[tuple[str, dict[str, float], list[float] | None]]:
    names = spec.PARAMETER_NAMES[type_]
    cases: list[tuple[str, dict[str, float], list[float] | None]] = []
    for name in names:
        for label, bad in (("negative", -0.5), ("NaN", NAN), ("+inf", INF), ("-inf", -INF)):
            params = {n: 0.25 for n in names}
            params[name] = bad
            cases.append((f"{name} {label}", params, None))
    good = {n: 0.25 for n in names}
    for label, bad in (("negative", -1.0), ("NaN", NAN), ("+inf", INF)):
        cases.append((f"penalty factor {label}", good, [1.0, bad, 1.0]))
    cases.append(("penalty factor of the wrong length", good, [1.0, 1.0]))
    both_bad = {n: -1.0 for n in names}
    cases.append(("bad strength and bad factor: strength reported first", both_bad, [NAN, 1.0, 1.0]))
    return cases


def build_penalty_suite(operation: str) -> Suite:
    """value, gradient and prox share their groups; prox adds a step and step checks."""
    suite = Suite(operation)
    lengths = LENGTHS_VALUE if operation == "value" else LENGTHS_ELEMENTWISE

    def args_for(rng: random.Random, w: list[float]) -> dict[str, object]:
        if operation != "prox":
            return {"w": w}
        return {"w": w, "step": random_value(rng, BINARY64, -4, 1, signed=False)}

    for type_ in PENALTY_TYPES:
        for dtype in DTYPES:
            fmt = FORMATS[dtype]
            prefix = f"{type_}/{dtype}"

            tests = suite.group(f"{prefix}/seed", "The seed document's example.")
            seed_w = [in_format(x, fmt) for x in SEED_WEIGHTS]
            t, params = seed_penalty(type_)
            seed_args: dict[str, object] = {"w": seed_w}
            if operation == "prox":
                seed_args["step"] = 0.5
            tests.append(numeric_test(operation, dtype, t, params, seed_args, "seed weights", ["seed"]))

            rng = random.Random(f"{operation}/{prefix}/length")
            tests = suite.group(f"{prefix}/length", "Random values of every SIMD tail length.")
            for n in lengths:
                w = random_vector(rng, fmt, n)
                tests.append(
                    numeric_test(
                        operation,
                        dtype,
                        type_,
                        standard_penalty(rng, type_),
                        args_for(rng, w),
                        f"n = {n}",
                        ["length"],
                    )
                )

            rng = random.Random(f"{operation}/{prefix}/magnitude")
            tests = suite.group(f"{prefix}/magnitude", "Random values within one magnitude band.")
            for label, lo, hi in magnitude_bands(fmt):
                for n in (7, 33, 200):
                    w = random_vector(rng, fmt, n, lo, hi)
                    tests.append(
                        numeric_test(
                            operation,
                            dtype,
                            type_,
                            standard_penalty(rng, type_),
                            args_for(rng, w),
                            f"{label}, n = {n}",
                            ["magnitude"],
                        )
                    )

            if operation == "value":
                rng = random.Random(f"{operation}/{prefix}/boundary")
                tests = suite.group(
                    f"{prefix}/rounding_boundary", "Exact sums on or next to a rounding midpoint."
                )
                for position in ("on", "above", "below"):
                    for _ in range(12):
                        squares = type_ == "l2" or (type_ == "elastic_net" and rng.random() < 0.5)
                        w = boundary_sum_pieces(rng, fmt, squares=squares, position=position)
                        # Strength 1 on the probed part keeps the rounding of its sum visible in the value.
                        if type_ == "elastic_net":
                            params = {"l1": 0.0, "l2": 1.0} if squares else {"l1": 1.0, "l2": 0.0}
                        else:
                            params = {"lam": 1.0}
                        tests.append(
                            numeric_test(
                                operation,
                                dtype,
                                type_,
                                params,
                                {"w": w},
                                f"sum {position} a midpoint",
                                ["rounding_boundary"],
                            )
                        )

            tests = suite.group(f"{prefix}/special", "Signed zeros, NaN, infinities, subnormals, overflow.")
            rng = random.Random(f"{operation}/{prefix}/special")
            for label, w, flags in special_vectors(fmt):
                tests.append(
                    numeric_test(
                        operation, dtype, type_, standard_penalty(rng, type_), args_for(rng, w), label, flags
                    )
                )
            w = [in_format(x, fmt) for x in ("1.5", "-0.0", "0.0", "-2.25", "1e-3")]
            for label, params, flags in penalty_parameter_cases(type_):
                extra = args_for(rng, w)
                tests.append(numeric_test(operation, dtype, type_, params, extra, label, flags))
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    {"l1": 0.0, "l2": 0.0} if type_ == "elastic_net" else {"lam": 0.0},
                    args_for(rng, [INF, 1.0]),
                    "zero strength times an infinite sum",
                    ["nan", "infinity"],
                )
            )

            tests = suite.group(f"{prefix}/penalty_factor", "Per-coordinate penalty factors.")
            rng = random.Random(f"{operation}/{prefix}/factor")
            for n in (1, 5, 17, 64, 129):
                w = random_vector(rng, fmt, n)
                factor = [
                    rng.choice([0.0, 1.0, 0.5, 2.0, random_value(rng, BINARY64, -3, 3, signed=False)])
                    for _ in range(n)
                ]
                tests.append(
                    numeric_test(
                        operation,
                        dtype,
                        type_,
                        standard_penalty(rng, type_),
                        args_for(rng, w),
                        f"n = {n}",
                        [],
                        factor,
                    )
                )
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    standard_penalty(rng, type_),
                    args_for(rng, [INF, 2.0, -1.0]),
                    "factor 0 on an infinite weight",
                    ["nan", "infinity"],
                    [0.0, 1.0, 1.0],
                )
            )
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    standard_penalty(rng, type_),
                    args_for(rng, [1.0, 2.0]),
                    "factor beyond binary32's range",
                    ["overflow", "parameter_rounding"],
                    [1e39, 1.0],
                )
            )
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    standard_penalty(rng, type_),
                    args_for(rng, [0.0, 2.0]),
                    "factor beyond binary32's range on a zero weight (inf x 0 for float32)",
                    ["overflow", "parameter_rounding", "nan"],
                    [1e39, 1.0],
                )
            )
            for label, w in (
                ("empty factor list, empty weights", []),
                ("empty factor list, one weight", [1.0]),
            ):
                tests.append(
                    numeric_test(
                        operation, dtype, type_, standard_penalty(rng, type_), args_for(rng, w), label, [], []
                    )
                )

            tests = suite.group(f"{prefix}/invalid", "Inputs the spec rejects.")
            rng = random.Random(f"{operation}/{prefix}/invalid")
            w = [1.0, -2.0, 0.5]
            for label, params, factor in invalid_penalty_cases(type_):
                tests.append(
                    numeric_test(
                        operation, dtype, type_, params, args_for(rng, w), label, ["invalid"], factor
                    )
                )
            if operation == "prox":
                good = standard_penalty(rng, type_)
                for label, step in (
                    ("negative step", -0.5),
                    ("NaN step", NAN),
                    ("+inf step", INF),
                    ("-inf step", -INF),
                ):
                    tests.append(
                        numeric_test(
                            operation, dtype, type_, good, {"w": w, "step": step}, label, ["invalid"]
                        )
                    )
                tests.append(
                    numeric_test(
                        operation,
                        dtype,
                        type_,
                        {n: -1.0 for n in spec.PARAMETER_NAMES[type_]},
                        {"w": w, "step": NAN},
                        "bad strength and bad step: strength reported first",
                        ["invalid"],
                    )
                )
                tests.append(
                    numeric_test(
                        operation,
                        dtype,
                        type_,
                        good,
                        {"w": w, "step": NAN},
                        "bad step and wrong factor length: step reported first",
                        ["invalid"],
                        [1.0],
                    )
                )

            if operation == "prox":
                tests = suite.group(f"{prefix}/threshold", "Soft-threshold and shrink edge cases.")
                rng = random.Random(f"{operation}/{prefix}/threshold")
                one = {"l1": 1.0, "l2": 1.0} if type_ == "elastic_net" else {"lam": 1.0}
                cases = [
                    ("weights equal to the threshold", [0.5, -0.5, 0.25], 0.5),
                    ("zero step is the identity", [0.5, -0.5, -0.0, 3.0], 0.0),
                    ("negative zero step", [0.5, -0.5, 0.0], -0.0),
                    ("huge step", [1e300, -1e300, 2.0, INF, -INF], 1e308),
                    ("infinite weights", [INF, -INF, 1.0], 0.25),
                    ("signed zeros", [0.0, -0.0], 0.25),
                ]
                for label, w, step in cases:
                    w = [in_format(x, fmt) if math.isfinite(x) else x for x in w]
                    tests.append(
                        numeric_test(
                            operation, dtype, type_, one, {"w": w, "step": step}, label, ["signed_zero"]
                        )
                    )
            add_spec2_groups(suite, operation, type_, dtype)
    return suite


# ---------------------------------------------------------------- spec 2.0 groups

# Input NaNs with the sign bit and payload bits set (quiet and signaling); outputs must be canonical.
NAN_INPUT_BITS = {
    "float64": (0xFFF8000000000000, 0x7FF800000000DEAD, 0xFFF0000000000BAD, 0x7FF0000000000001),
    "float32": (0xFFC00000, 0x7FC0DEAD, 0xFF800BAD, 0x7F800001),
}


def nan_inputs(dtype: str) -> list[tuple[str, float]]:
    fmt = FORMATS[dtype]
    names = ("negative quiet NaN", "quiet NaN with a payload", "negative signaling NaN", "signaling NaN")
    return [
        (f"{name} {bits:#x}", from_bits(bits, fmt))
        for name, bits in zip(names, NAN_INPUT_BITS[dtype], strict=True)
    ]


def spec1_value(p: spec.Penalty, w: Sequence[float], fmt: Format) -> float:
    """Spec 1.0's value, fl(lam × RN(S)) part by part, for finite inputs: what spec 2.0 changed."""
    factors = [1.0] * len(w) if p.penalty_factor is None else [to_format(f, fmt) for f in p.penalty_factor]
    s1 = round_exact(
        sum((Fraction(f) * abs(Fraction(x)) for f, x in zip(factors, w, strict=True)), Fraction(0)), fmt
    )
    s2 = round_exact(
        sum((Fraction(f) * Fraction(x) ** 2 for f, x in zip(factors, w, strict=True)), Fraction(0)), fmt
    )
    c1, c2 = to_format(p.coefficient("l1"), fmt), to_format(p.coefficient("l2"), fmt)
    if p.type == "l1":
        return mul(c1, s1, fmt)
    if p.type == "l2":
        return mul(c2, s2, fmt)
    return add(mul(c1, s1, fmt), mul(c2, s2, fmt), fmt)


def spec1_loss(
    p: spec.Penalty, y_true: Sequence[float], y_pred: Sequence[float], w: Sequence[float], fmt: Format
) -> float:
    """Spec 1.0's loss for finite inputs: rounded residuals, RN(SSE), fl(SSE / RN(n)), fl(mse + value)."""
    residuals = [sub(a, b, fmt) for a, b in zip(y_true, y_pred, strict=True)]
    sse = round_exact(sum((Fraction(r) ** 2 for r in residuals), Fraction(0)), fmt)
    mse = div(sse, round_exact(Fraction(len(y_true)), fmt), fmt)
    return add(mse, spec1_value(p, w, fmt), fmt)


def params_of(type_: str, l1: float, l2: float) -> dict[str, float]:
    """Parameters that put strength l1 on |w| and l2 on w² where the penalty type has that part."""
    if type_ == "elastic_net":
        return {"l1": l1, "l2": l2}
    return {"lam": l1 if type_ == "l1" else l2}


def one_rounding_value_cases(type_: str, dtype: str) -> list[tuple[str, dict[str, float], list[float]]]:
    """Issue 9's examples: partial sums or products that overflow although the value is finite."""
    fmt = FORMATS[dtype]
    f = lambda x: in_format(x, fmt)  # noqa: E731
    if dtype == "float64":
        cases = [
            (
                "strength 1e-100, w = [1e155]: w² overflows, the value does not",
                params_of(type_, 1e-100, 1e-100),
                [1e155],
            ),
            (
                "strength 1e-300, w = [1e308, 1e308]: partial sums overflow, the value does not",
                params_of(type_, 1e-300, 1e-300),
                [1e308, 1e308],
            ),
            (
                "strength 1 on |w| and 0 on w², w = [1e200]: 0 x 1e400 is an exact 0",
                params_of(type_, 1.0, 0.0),
                [1e200],
            ),
            ("strength 1 on |w| and 0 on w², w = [inf]: 0 x inf is NaN", params_of(type_, 1.0, 0.0), [INF]),
            ("strength 1, w = [inf]", params_of(type_, 1.0, 1.0), [INF]),
        ]
    else:
        cases = [
            (
                "strength 1e-30, w = [1e25]: w² overflows binary32, the value does not",
                params_of(type_, 1e-30, 1e-30),
                [f("1e25")],
            ),
            (
                "strength 1e-10, w = [3e38, 3e38]: partial sums overflow, the value does not",
                params_of(type_, 1e-10, 1e-10),
                [f("3e38"), f("3e38")],
            ),
            ("strength 1 on |w| and 0 on w², w = [1e30]", params_of(type_, 1.0, 0.0), [f("1e30")]),
            ("strength 1 on |w| and 0 on w², w = [inf]: 0 x inf is NaN", params_of(type_, 1.0, 0.0), [INF]),
            ("strength 1, w = [inf]", params_of(type_, 1.0, 1.0), [INF]),
        ]
    return cases


def search(
    rng: random.Random, make: Callable[[], tuple], differs: Callable[..., bool], count: int
) -> list[tuple]:
    """The first `count` random cases from `make` on which `differs` holds (deterministic by rng)."""
    found: list[tuple] = []
    for _ in range(200000):
        case = make()
        if differs(*case):
            found.append(case)
            if len(found) == count:
                return found
    raise RuntimeError("search found too few cases")


def add_spec2_groups(suite: Suite, operation: str, type_: str, dtype: str) -> None:
    """The groups spec 2.0 added to value, gradient and prox (appended: old ids stay stable)."""
    fmt = FORMATS[dtype]
    prefix = f"{type_}/{dtype}"
    rng = random.Random(f"{operation}/{prefix}/spec2")

    def args_for(w: list) -> dict[str, object]:
        if operation != "prox":
            return {"w": w}
        return {"w": w, "step": random_value(rng, BINARY64, -4, 1, signed=False)}

    tests = suite.group(
        f"{prefix}/nan_payload", "NaN inputs with sign and payload bits; NaN outputs are canonical."
    )
    nans = nan_inputs(dtype)
    for label, x in nans:
        w = [1.0, x, -2.0]
        tests.append(
            numeric_test(
                operation,
                dtype,
                type_,
                standard_penalty(rng, type_),
                args_for(w),
                label,
                ["nan", "nan_payload"],
            )
        )
    w = [x for _, x in nans] + [INF]
    tests.append(
        numeric_test(
            operation,
            dtype,
            type_,
            standard_penalty(rng, type_),
            args_for(w),
            "every NaN kind and +inf",
            ["nan", "nan_payload", "infinity"],
        )
    )

    if operation == "value":
        tests = suite.group(
            f"{prefix}/one_rounding", "The exact value rounded once (spec 2.0), not fl(lam x RN(S))."
        )
        for label, params, w in one_rounding_value_cases(type_, dtype):
            tests.append(numeric_test(operation, dtype, type_, params, {"w": w}, label, ["one_rounding"]))

        def make() -> tuple:
            w = random_vector(rng, fmt, rng.randint(1, 6), -6, 6)
            return (standard_penalty(rng, type_), w)

        def differs(params: dict[str, float], w: list[float]) -> bool:
            p = spec.make_penalty(type_, params)
            return spec1_value(p, w, fmt) != spec.value(p, w, fmt)

        for params, w in search(rng, make, differs, 8):
            tests.append(
                numeric_test(
                    operation, dtype, type_, params, {"w": w}, "fl(lam x RN(S)) differs", ["one_rounding"]
                )
            )

    if operation == "prox":
        tests = suite.group(
            f"{prefix}/step_edges",
            "Steps and strengths beyond binary32's range (IEEE rules, no special case).",
        )
        w = [1.5, -2.0, 0.0, -0.0, INF, -INF]
        cases = [
            ("step 0 with strength 1e39 (lam32 = inf: 0 x inf)", params_of(type_, 1e39, 1e39), 0.0),
            ("step 1e39 (step32 = inf) with strength 0.5", params_of(type_, 0.5, 0.5), 1e39),
            ("step 1e39 (step32 = inf) with strength 0", params_of(type_, 0.0, 0.0), 1e39),
        ]
        for label, params, step in cases:
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    params,
                    {"w": w, "step": step},
                    label,
                    ["overflow", "parameter_rounding"],
                )
            )

    tests = suite.group(
        f"{prefix}/ndarray", "Multi-dimensional w: reductions over all elements, shapes kept."
    )
    for shape in ([2, 3], [3, 1, 2], [], [2, 0], [1, 5]):
        size = math.prod(shape)
        w = random_vector(rng, fmt, size)
        tests.append(
            numeric_test(
                operation,
                dtype,
                type_,
                standard_penalty(rng, type_),
                args_for(w),
                f"shape {shape}",
                [],
                shapes={"w": shape},
            )
        )
    w = random_vector(rng, fmt, 6)
    factor = [0.0, 1.0, 2.0, 0.5, 3.0, 1.0]
    tests.append(
        numeric_test(
            operation,
            dtype,
            type_,
            standard_penalty(rng, type_),
            args_for(w),
            "shape [2, 3] with factors in C order",
            [],
            factor,
            shapes={"w": [2, 3]},
        )
    )

    if operation == "value":
        add_generated_value_group(suite, type_, dtype)

    if dtype == "float64":
        tests = suite.group(f"{prefix}/integer_input", "Integer elements, read as RN64 of their exact value.")
        for w in INTEGER_WEIGHTS:
            tests.append(
                numeric_test(
                    operation,
                    dtype,
                    type_,
                    standard_penalty(rng, type_),
                    args_for(w),
                    f"w = {w}",
                    [],
                    arg_dtypes={"w": "int64"},
                )
            )


# Lengths past the kernels' blocking and threading thresholds (issue 9: 2**12 + 1, 2**16 + 1,
# 2**20 + 3, 3·10**6).
GENERATED_LENGTHS = (4097, 65537, 1048579, 3_000_000)


def generated(name: str, seed: str, n: int) -> dict[str, object]:
    """A generator argument; its seed is derived from a label so that every test has its own."""
    return {"generator": name, "seed": int(hashlib.sha256(seed.encode()).hexdigest()[:16], 16), "n": n}


def add_generated_value_group(suite: Suite, type_: str, dtype: str) -> None:
    prefix = f"{type_}/{dtype}"
    tests = suite.group(
        f"{prefix}/generated", "Long generated inputs; some sums exactly on or just above a tie."
    )
    rng = random.Random(f"value/{prefix}/generated")
    for n in GENERATED_LENGTHS:
        name = "wide" if n == 65537 else "unit"
        w = generated(name, f"value/{prefix}/{n}", n)
        tests.append(
            numeric_test(
                "value", dtype, type_, standard_penalty(rng, type_), {"w": w}, f"{name}, n = {n}", []
            )
        )
    if type_ == "l2":
        return  # the tie generators place Σ|w|, not Σw², on a midpoint
    # Strength 1 on |w| only, so the value is the sum itself: on the tie, and just above it.
    for name, n in (
        ("tie_abs", 65537),
        ("above_tie_abs", 4097),
        ("above_tie_abs", 1048579),
        ("above_tie_abs", 3_000_000),
    ):
        w = generated(name, f"value/{prefix}/{name}/{n}", n)
        tests.append(
            numeric_test(
                "value",
                dtype,
                type_,
                params_of(type_, 1.0, 0.0),
                {"w": w},
                f"{name}, n = {n}",
                ["rounding_boundary"],
            )
        )


# Integers beyond 2**53 round to even; int64's extremes included.
INTEGER_WEIGHTS = (
    [3, -1, 0, 2],
    [9007199254740993, -9007199254740995, 12345678901234567],
    [9223372036854775807, -9223372036854775808, 1],
)


# ---------------------------------------------------------------- loss


def loss_test(
    dtype: str,
    type_: str,
    params: dict[str, float],
    data: tuple[list[float], list[float], list[float]],
    comment: str,
    flags: list[str],
    factor: list[float] | None = None,
    **layout: dict,
) -> dict:
    """One loss test; `data` is (y_true, y_pred, w); `layout` passes arg_dtypes and shapes."""
    args = dict(zip(("y_true", "y_pred", "w"), data, strict=True))
    return numeric_test("loss", dtype, type_, params, args, comment, flags, factor, **layout)


def build_loss_suite() -> Suite:
    suite = Suite("loss")
    for type_ in PENALTY_TYPES:
        for dtype in DTYPES:
            fmt = FORMATS[dtype]
            prefix = f"{type_}/{dtype}"
            rng = random.Random(f"loss/{prefix}")

            tests = suite.group(f"{prefix}/seed", "The seed's weights with a small regression.")
            y_true = [in_format(x, fmt) for x in ("1.0", "2.0", "3.0")]
            y_pred = [in_format(x, fmt) for x in ("1.1", "1.9", "3.2")]
            w = [in_format(x, fmt) for x in SEED_WEIGHTS]
            _, params = seed_penalty(type_)
            tests.append(loss_test(dtype, type_, params, (y_true, y_pred, w), "seed weights", ["seed"]))

            tests = suite.group(f"{prefix}/length", "Random targets, predictions and weights.")
            for n in [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 129, 1025]:
                y_true = random_vector(rng, fmt, n)
                y_pred = [y + random_value(rng, fmt, -6, -1) for y in y_true]
                y_pred = [round_exact(Fraction(y), fmt) for y in y_pred]
                w = random_vector(rng, fmt, rng.randint(0, 40))
                params = standard_penalty(rng, type_)
                tests.append(loss_test(dtype, type_, params, (y_true, y_pred, w), f"n = {n}", ["length"]))

            tests = suite.group(f"{prefix}/cancellation", "Nearly equal large targets and predictions.")
            for n in (4, 16, 100):
                y_true = random_vector(rng, fmt, n, 20, 30)
                y_pred = [
                    math.nextafter(y, INF)
                    if dtype == "float64"
                    else round_exact(Fraction(y) * (1 + Fraction(1, 2**22)), fmt)
                    for y in y_true
                ]
                w = random_vector(rng, fmt, 5)
                params = standard_penalty(rng, type_)
                tests.append(
                    loss_test(dtype, type_, params, (y_true, y_pred, w), f"n = {n}", ["cancellation"])
                )

            tests = suite.group(f"{prefix}/special", "NaN, infinities, overflow and empty weights.")
            big = 1e200 if dtype == "float64" else in_format("1e30", fmt)
            specials = [
                ("NaN target", [1.0, NAN], [1.0, 2.0], [1.0], ["nan"]),
                ("infinite prediction", [1.0, 2.0], [INF, 2.0], [1.0], ["infinity"]),
                ("inf - inf residual", [INF], [INF], [1.0], ["nan", "infinity"]),
                ("squared residual overflows", [big, -big], [-big, big], [1.0], ["overflow"]),
                ("no weights", [1.0, 2.0], [1.5, 2.5], [], []),
                ("exact fit", [1.0, -2.0], [1.0, -2.0], [0.0, -0.0], ["signed_zero"]),
            ]
            for label, a, b, w, flags in specials:
                tests.append(loss_test(dtype, type_, standard_penalty(rng, type_), (a, b, w), label, flags))
            factored = ([1.0, 2.0], [1.5, 2.5], [3.0, -1.0])
            params = standard_penalty(rng, type_)
            tests.append(loss_test(dtype, type_, params, factored, "penalty factors", [], [0.0, 2.0]))

            tests = suite.group(f"{prefix}/invalid", "Inputs the spec rejects.")
            good = standard_penalty(rng, type_)
            bad = {n: NAN for n in spec.PARAMETER_NAMES[type_]}
            invalid = [
                ("lengths differ", good, [1.0, 2.0], [1.0], [1.0], None),
                ("no samples", good, [], [], [1.0], None),
                ("bad strength", bad, [1.0], [1.0], [1.0], None),
                ("bad strength with no samples: strength reported first", bad, [], [], [1.0], None),
                ("factor length differs from the weights", good, [1.0], [2.0], [1.0, 2.0], [1.0]),
                ("lengths differ and no samples: shape reported first", good, [], [1.0], [], None),
            ]
            for label, params, a, b, w, factor in invalid:
                tests.append(loss_test(dtype, type_, params, (a, b, w), label, ["invalid"], factor))
            other = "float32" if dtype == "float64" else "float64"
            for arg in ("w", "y_pred"):
                tests.append(
                    loss_test(
                        dtype,
                        type_,
                        good,
                        ([1.0], [2.0], [1.0]),
                        f"{arg} is {other}",
                        ["invalid"],
                        arg_dtypes={arg: other},
                    )
                )
            # SPEC §4's order: penalty, then dtypes, then y shapes, then n > 0, then factor length.
            order = [
                ("bad strength and mixed dtypes: strength first", bad, ([1.0], [2.0], [1.0]), None),
                ("mixed dtypes and lengths differ: dtype first", good, ([1.0, 2.0], [2.0], [1.0]), None),
                ("mixed dtypes and no samples: dtype first", good, ([], [], [1.0]), None),
            ]
            for label, params, data, factor in order:
                tests.append(
                    loss_test(
                        dtype,
                        type_,
                        params,
                        data,
                        label,
                        ["check_order"],
                        factor,
                        arg_dtypes={"y_pred": other},
                    )
                )
            tests.append(
                loss_test(
                    dtype,
                    type_,
                    good,
                    ([], [], [1.0, 2.0]),
                    "no samples and factor length differs: empty_input first",
                    ["check_order"],
                    [1.0],
                )
            )
            add_loss_spec2_groups(suite, type_, dtype)
    return suite


def add_loss_spec2_groups(suite: Suite, type_: str, dtype: str) -> None:
    """The loss groups spec 2.0 added (appended: old ids stay stable)."""
    fmt = FORMATS[dtype]
    prefix = f"{type_}/{dtype}"
    rng = random.Random(f"loss/{prefix}/spec2")
    pick = lambda: standard_penalty(rng, type_)  # noqa: E731

    tests = suite.group(
        f"{prefix}/nan_payload", "NaN inputs with sign and payload bits; the NaN output is canonical."
    )
    for label, x in nan_inputs(dtype):
        tests.append(
            loss_test(
                dtype,
                type_,
                pick(),
                ([1.0, x], [1.0, 2.0], [1.0]),
                f"y_true has a {label}",
                ["nan", "nan_payload"],
            )
        )
        tests.append(
            loss_test(
                dtype,
                type_,
                pick(),
                ([1.0, 2.0], [x, 2.0], [1.0]),
                f"y_pred has a {label}",
                ["nan", "nan_payload"],
            )
        )
        tests.append(
            loss_test(
                dtype, type_, pick(), ([1.0], [2.0], [x, 1.0]), f"w has a {label}", ["nan", "nan_payload"]
            )
        )

    tests = suite.group(
        f"{prefix}/one_rounding", "The exact loss rounded once (spec 2.0): exact residuals, exact n."
    )
    big = 1e154 if dtype == "float64" else in_format("1e19", fmt)
    tests.append(
        loss_test(
            dtype,
            type_,
            pick(),
            ([big] * 4, [0.0] * 4, []),
            f"y = 4 x [{big:g}], p = 0: the SSE overflows, the mean does not",
            ["one_rounding", "overflow"],
        )
    )
    tests.append(
        loss_test(
            dtype,
            type_,
            pick(),
            ([big, -big], [-big, big], []),
            "residuals 2y overflow, the mean of their squares too",
            ["overflow"],
        )
    )

    def make() -> tuple:
        n = rng.randint(1, 5)
        y_true = random_vector(rng, fmt, n, -3, 3)
        y_pred = [round_exact(Fraction(y) + Fraction(random_value(rng, fmt, -40, 2)), fmt) for y in y_true]
        return (pick(), y_true, y_pred, random_vector(rng, fmt, rng.randint(0, 4), -3, 3))

    def differs(params: dict[str, float], y_true: list[float], y_pred: list[float], w: list[float]) -> bool:
        p = spec.make_penalty(type_, params)
        return spec1_loss(p, y_true, y_pred, w, fmt) != spec.loss(p, y_true, y_pred, w, fmt)

    for params, y_true, y_pred, w in search(rng, make, differs, 8):
        tests.append(
            loss_test(
                dtype, type_, params, (y_true, y_pred, w), "spec 1.0's rounded steps differ", ["one_rounding"]
            )
        )

    tests = suite.group(
        f"{prefix}/ndarray", "Multi-dimensional y and w; y_true and y_pred must have one shape."
    )
    cases = [
        ("y [2, 3], w [3, 2]", {"y_true": [2, 3], "y_pred": [2, 3], "w": [3, 2]}),
        ("0-d y and w", {"y_true": [], "y_pred": [], "w": []}),
        (
            "y_true [2, 3], y_pred [3, 2]: same size, other shape",
            {"y_true": [2, 3], "y_pred": [3, 2], "w": [2]},
        ),
        ("y_true [6], y_pred [2, 3]", {"y_true": [6], "y_pred": [2, 3], "w": [2]}),
        ("y [0, 3]: no samples", {"y_true": [0, 3], "y_pred": [0, 3], "w": [2]}),
    ]
    for label, shapes in cases:
        size = math.prod(shapes["y_true"])
        y_true = random_vector(rng, fmt, size)
        y_pred = random_vector(rng, fmt, size)
        w = random_vector(rng, fmt, math.prod(shapes["w"]))
        tests.append(loss_test(dtype, type_, pick(), (y_true, y_pred, w), label, [], shapes=shapes))

    tests = suite.group(f"{prefix}/generated", "Long generated targets, predictions and weights.")
    for n in GENERATED_LENGTHS if type_ == "elastic_net" else GENERATED_LENGTHS[:1]:
        data = (
            generated("unit", f"loss/{prefix}/{n}/y_true", n),
            generated("unit", f"loss/{prefix}/{n}/y_pred", n),
            generated("unit", f"loss/{prefix}/{n}/w", min(n, 65537)),
        )
        tests.append(loss_test(dtype, type_, pick(), data, f"unit, n = {n}", []))
    # y_pred = y_true: zero residuals, so the loss is the penalty's sum, placed just above a tie.
    y = generated("unit", f"loss/{prefix}/tie/y", 1048579)
    w = generated("above_tie_abs", f"loss/{prefix}/tie/w", 65537)
    tests.append(
        loss_test(
            dtype,
            type_,
            params_of(type_, 1.0, 0.0),
            (y, y, w),
            "zero residuals, Σ|w| just above a tie",
            ["rounding_boundary"],
        )
    )

    if dtype == "float64":
        tests = suite.group(f"{prefix}/integer_input", "Integer elements count as float64 input.")
        ints = [9007199254740993, -3, 0, 7]
        floats = [1.5, -2.0, 0.25, 6.0]
        cases = [
            ("integer y_true, float64 y_pred and w", {"y_true": "int64"}, (ints, floats, [0.5, -1.0])),
            (
                "integer y_true, y_pred and w",
                {"y_true": "int64", "y_pred": "int64", "w": "int64"},
                (ints, [1, 2, 3, 4], [5, -6]),
            ),
            (
                "integer y_true, float32 y_pred: mixed",
                {"y_pred": "float32", "y_true": "int64"},
                (ints, floats, [0.5]),
            ),
        ]
        for label, arg_dtypes, data in cases:
            tests.append(loss_test(dtype, type_, pick(), data, label, [], arg_dtypes=arg_dtypes))


# ---------------------------------------------------------------- l1_regularization


def l1_test(dtype: str, w: list, lam: float, comment: str, flags: list[str], **layout: dict) -> dict:
    return numeric_test(
        "l1_regularization", dtype, "l1", {}, {"w": w, "lambda": lam}, comment, flags, **layout
    )


def build_l1_regularization_suite() -> Suite:
    """The seed's helper: L1(lambda).value(weights) in the weights' dtype (float32 in, float32 out)."""
    suite = Suite("l1_regularization")
    for dtype in DTYPES:
        fmt = FORMATS[dtype]
        rng = random.Random(f"l1_regularization/{dtype}")
        tests = suite.group(f"{dtype}/seed", "The seed document's example.")
        seed_w = [in_format(x, fmt) for x in SEED_WEIGHTS]
        tests.append(l1_test(dtype, seed_w, SEED_LAMBDA, "seed weights, lambda 0.01", ["seed"]))

        tests = suite.group(f"{dtype}/length", "Random weights of several lengths.")
        for n in (0, 1, 2, 3, 7, 8, 9, 16, 17, 33, 64, 65, 129, 1025):
            lam = random_value(rng, BINARY64, -12, 2, signed=False)
            tests.append(l1_test(dtype, random_vector(rng, fmt, n), lam, f"n = {n}", ["length"]))

        tests = suite.group(f"{dtype}/one_rounding", "RN_F(lambda x exact sum), one rounding.")
        huge = 1e308 if dtype == "float64" else in_format("3e38", fmt)
        tests.append(
            l1_test(
                dtype,
                [huge, huge],
                1e-300 if dtype == "float64" else 1e-10,
                "the sum overflows, the value does not",
                ["one_rounding"],
            )
        )

        def make(rng: random.Random = rng, fmt: Format = fmt) -> tuple:
            return (
                random_vector(rng, fmt, rng.randint(1, 6), -6, 6),
                random_value(rng, BINARY64, -12, 2, signed=False),
            )

        def differs(w: list[float], lam: float, fmt: Format = fmt) -> bool:
            p = spec.make_penalty("l1", {"lam": lam})
            return spec1_value(p, w, fmt) != spec.value(p, w, fmt)

        for w, lam in search(rng, make, differs, 8):
            tests.append(l1_test(dtype, w, lam, "fl(lambda x RN(S)) differs", ["one_rounding"]))

        tests = suite.group(f"{dtype}/special", "Zeros, NaN kinds, infinities, huge and tiny lambdas.")
        specials = [
            ("all zeros of both signs", [0.0, -0.0, -0.0], 0.5, ["signed_zero"]),
            ("empty weights", [], 0.5, []),
            ("+inf weight", [1.0, INF], 0.5, ["infinity"]),
            ("-inf weight with lambda 0: 0 x inf", [-INF, 1.0], 0.0, ["nan", "infinity"]),
            ("lambda beyond binary32's range", [1.0, 2.0], 1e39, ["overflow", "parameter_rounding"]),
            (
                "lambda beyond binary32's range, a zero weight",
                [1.0, 0.0],
                1e39,
                ["nan", "parameter_rounding"],
            ),
            ("smallest subnormal lambda", [1.0, 2.0], 5e-324, ["subnormal", "parameter_rounding"]),
        ]
        for label, w, lam, flags in specials:
            tests.append(l1_test(dtype, w, lam, label, flags))
        for label, x in nan_inputs(dtype):
            tests.append(l1_test(dtype, [1.0, x], 0.5, label, ["nan", "nan_payload"]))

        tests = suite.group(f"{dtype}/invalid", "Lambdas the spec rejects.")
        for label, lam in (("negative", -0.5), ("NaN", NAN), ("+inf", INF), ("-inf", -INF)):
            tests.append(l1_test(dtype, [1.0, -2.0], lam, f"lambda {label}", ["invalid"]))

        tests = suite.group(f"{dtype}/ndarray", "Multi-dimensional weights.")
        tests.append(
            l1_test(dtype, random_vector(rng, fmt, 6), 0.25, "shape [2, 3]", [], shapes={"w": [2, 3]})
        )
        if dtype == "float64":
            tests = suite.group(
                f"{dtype}/integer_input", "Integer weights, read as RN64 of their exact value."
            )
            for w in INTEGER_WEIGHTS:
                tests.append(l1_test(dtype, w, 0.5, f"w = {w}", [], arg_dtypes={"w": "int64"}))
    return suite


# ---------------------------------------------------------------- config and convert


def object_test(
    operation: str,
    comment: str,
    flags: list[str],
    args: dict | None,
    compute: Callable[[], spec.Penalty],
    penalty: dict | None = None,
) -> dict:
    test: dict[str, object] = {
        "id": "",
        "comment": comment,
        "flags": sorted(set(flags)),
        "operation": operation,
    }
    if penalty is not None:
        test["penalty"] = penalty
    if args is not None:
        test["args"] = args
    key, result = run_case(compute)
    test[key] = penalty_json(result) if key == "expected" else result
    if key == "expected_error":
        test["flags"] = sorted(set(test["flags"]) | {"invalid"})
    return test


def from_config_test(text: str, comment: str) -> dict:
    return object_test("from_config", comment, ["config"], {"config": text}, lambda: spec.from_config(text))


def build_config_suite() -> Suite:
    suite = Suite("config")
    tests = suite.group("from_config/valid", "Configurations every language must read.")
    valid = [
        ('{"type": "l1", "lam": 0.01}', "L1"),
        ('{"type": "l2", "lam": 0.5}', "L2"),
        ('{"type": "elastic_net", "l1": 0.01, "l2": 0.001}', "Elastic Net"),
        ('{"lam": 1e-3, "type": "l1"}', "keys in another order, exponent notation"),
        ('{"type": "l2", "lam": 1}', "an integer parameter"),
        ('{"type": "l1", "lam": 0}', "zero"),
        ('{"type": "l1", "lam": -0.0}', "negative zero is stored as +0"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": [0, 1, 2.5]}', "penalty factors"),
        ('{"type":"elastic_net","l1":5e-324,"l2":1.7976931348623157e308}', "extreme values, no spaces"),
        ('{"type": "l1", "lam": 0.30000000000000004}', "a 17-digit value"),
        (
            '{"type": "l1", "lam": 2.4703282292062328e-324}',
            "a decimal just above half the smallest subnormal",
        ),
        ('  {\n "type" : "l1" ,\n "lam" : 0.25 }\n', "white space"),
        ('{"type": "l1", "lam": 9007199254740993}', "2^53 + 1 as an integer rounds to even (2^53)"),
        ('{"type": "l1", "lam": 9007199254740995}', "2^53 + 3 as an integer rounds to even (2^53 + 4)"),
        (
            '{"type": "l1", "lam": ' + str(2**1024 - 2**970 - 1) + "}",
            "an integer just below the overflow midpoint",
        ),
        ('{"type": "l2", "lam": 0.5, "penalty_factor": []}', "an empty factor list"),
        ('{"type": "l1", "lam": -0}', "integer negative zero is stored as +0"),
        ('{"type": "l1", "lam": 1E-2}', "capital exponent"),
        ('{"type": "l1", "lam": 0.' + "0" * 400 + "1}", "a 400-digit decimal that underflows to 0"),
        ('{"type": "l1", "lam": 1' + "0" * 400 + "e-400}", "a 401-digit mantissa with a negative exponent"),
    ]
    tests.extend(from_config_test(text, comment) for text, comment in valid)
    tests = suite.group("from_config/invalid", "Configurations that must be rejected, with their codes.")
    invalid = [
        ("not json", "not JSON"),
        ("[1, 2]", "an array"),
        ('"l1"', "a string"),
        ('{"type": "l3", "lam": 0.1}', "an unknown type"),
        ('{"lam": 0.1}', "no type"),
        ('{"type": "l1"}', "a missing parameter"),
        ('{"type": "l1", "lam": 0.1, "alpha": 1}', "an unknown key"),
        ('{"type": "elastic_net", "l1": 0.1}', "Elastic Net without l2"),
        ('{"type": "l1", "lam": "0.1"}', "a parameter given as a string"),
        ('{"type": "l1", "lam": true}', "a parameter given as a boolean"),
        ('{"type": "l1", "lam": null}', "a null parameter"),
        ('{"type": "l1", "lam": NaN}', "NaN is not JSON"),
        ('{"type": "l1", "lam": Infinity}', "Infinity is not JSON"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": 1}', "factors that are not a list"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": ["1"]}', "a factor given as a string"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": null}', "null factors"),
        ('{"type": "l1", "lam": -0.1}', "a negative parameter"),
        ('{"type": "l1", "lam": 1e400}', "a number beyond binary64's range"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": [1, -1]}', "a negative factor"),
        ('{"type": "l1", "lam": 0.1, "lam": 0.2}', "a duplicate key"),
        ('{"type": "l1", "type": "l1", "lam": 0.1}', "a duplicate key with the same value"),
        ('{"type": ["l1"], "lam": 0.1}', "a type that is a list"),
        ('{"type": 1, "lam": 0.1}', "a type that is a number"),
        ('{"type": null, "lam": 0.1}', "a null type"),
        ('{"type": "l1", "lam": [0.1]}', "a parameter that is a list"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": [[1]]}', "a factor that is a list"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": [true]}', "a factor that is a boolean"),
        ("[" * 100000 + "]" * 100000, "100000 nested arrays: too deep, not a crash"),
        ('{"type": "l1", "lam": ' + "[" * 100000 + "]" * 100000 + "}", "a parameter nested 100000 deep"),
        ('{"type": "l1", "lam": ' + "9" * 5000 + "}", "a 5000-digit integer: +inf, then rejected"),
        (
            '{"type": "l1", "lam": ' + str(2**1024 - 2**970) + "}",
            "the binary64 overflow midpoint as an integer",
        ),
        ('{"type": "l2", "lam": 1, "penalty_factor": [1, ' + "1" * 400 + "]}", "a 400-digit integer factor"),
        ('{"type": "l2", "lam": 0.1, "penalty_factor": [1, 1e309]}', "a factor beyond binary64's range"),
        ('{"type": "l1", "lam": -1e400}', "a parameter below -DBL_MAX"),
        ("", "an empty document"),
        ('{"type": "l1", "lam": 0.1} {}', "two documents"),
    ]
    tests.extend(from_config_test(text, comment) for text, comment in invalid)

    tests = suite.group("config_roundtrip/penalties", "to_config then from_config returns the same bits.")
    roundtrip = [
        ("l1", {"lam": 0.1}, None),
        ("l2", {"lam": 1.0 / 3.0}, None),
        ("elastic_net", {"l1": 5e-324, "l2": 1.7976931348623157e308}, None),
        ("l1", {"lam": 0.0}, None),
        ("l2", {"lam": 1e-320}, None),
        ("elastic_net", {"l1": 0.30000000000000004, "l2": 123456789.0}, None),
        ("l1", {"lam": 2.0**-1074 * 3}, [0.0, 1.0, 0.1, 1e22]),
        ("l2", {"lam": 2.0**60}, [2.5]),
    ]
    for type_, params, factor in roundtrip:
        p = spec.make_penalty(type_, params, factor)
        tests.append(
            object_test(
                "config_roundtrip",
                f"{type_} {params}",
                ["config"],
                None,
                lambda p=p: spec.from_config(spec.to_config(p)),
                penalty_json(p),
            )
        )
    return suite


def build_convert_suite() -> Suite:
    suite = Suite("convert")
    rng = random.Random("convert")
    for convention, names in spec.CONVENTIONS.items():
        tests = suite.group(f"{convention}/valid", f"Parameters in {convention}'s convention.")
        grids: list[dict[str, float]] = []
        if convention in ("sklearn", "glmnet"):
            strength, ratio = names
            grids = [{strength: a, ratio: r} for a in (0.1, 1.0, 0.0, 3e-5) for r in (0.0, 0.5, 1.0, 0.15)]
            grids += [
                {strength: random_value(rng, BINARY64, -10, 3, False), ratio: rng.random()} for _ in range(8)
            ]
            grids += [{strength: -0.0, ratio: 0.5}]
        elif convention == "keras":
            grids = [
                {"l1": 0.01, "l2": 0.0},
                {"l1": 0.0, "l2": 0.01},
                {"l1": 1e-4, "l2": 3e-4},
                {"l1": -0.0, "l2": 0.5},
            ]
        else:
            grids = [{"weight_decay": x} for x in (0.01, 1e-4, 0.0, 5e-324, 1e308, 0.1)]
        for params in grids:
            args = {
                "convention": convention,
                "params": {k: hex_value(v, "float64") for k, v in params.items()},
            }
            tests.append(
                object_test(
                    "convert",
                    f"{params}",
                    ["conversion"],
                    args,
                    lambda c=convention, p=params: spec.convert(c, p),
                )
            )
        tests = suite.group(f"{convention}/invalid", "Out-of-range parameters.")
        for name in names:
            bads: list[float] = [-0.5, NAN, INF]
            if name in ("l1_ratio",) or (convention == "glmnet" and name == "alpha"):
                bads.append(1.5)
            for bad in bads:
                params = {n: 0.5 for n in names}
                params[name] = bad
                args = {
                    "convention": convention,
                    "params": {k: hex_value(v, "float64") for k, v in params.items()},
                }
                tests.append(
                    object_test(
                        "convert",
                        f"{name} = {bad}",
                        ["conversion"],
                        args,
                        lambda c=convention, p=params: spec.convert(c, p),
                    )
                )
    return suite


# ---------------------------------------------------------------- files


def serialize(document: dict) -> str:
    """Stable text: one test per line keeps files diffable and regeneration byte-identical."""
    lines = ["{"]
    header = {k: v for k, v in document.items() if k != "groups"}
    for key, val in header.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(val, sort_keys=False)},")
    lines.append('  "groups": [')
    for gi, group in enumerate(document["groups"]):
        lines.append("    {")
        lines.append(f'      "group": {json.dumps(group["group"])},')
        lines.append(f'      "comment": {json.dumps(group["comment"])},')
        lines.append('      "tests": [')
        tests = group["tests"]
        for ti, test in enumerate(tests):
            ordered = {"id": test["id"], **{k: v for k, v in test.items() if k != "id"}}
            lines.append("        " + json.dumps(ordered) + ("," if ti < len(tests) - 1 else ""))
        lines.append("      ]")
        lines.append("    }" + ("," if gi < len(document["groups"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_all() -> dict[str, str]:
    suites = [
        build_penalty_suite("value"),
        build_penalty_suite("gradient"),
        build_penalty_suite("prox"),
        build_loss_suite(),
        build_l1_regularization_suite(),
        build_config_suite(),
        build_convert_suite(),
        build_training_suite(),
    ]
    files = {f"{s.operation}.json": serialize(s.document()) for s in suites}
    manifest = {
        "suite": "regpen",
        "suite_version": SUITE_VERSION,
        "schema": SCHEMA,
        "files": {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(files.items())},
    }
    files["manifest.json"] = json.dumps(manifest, indent=2) + "\n"
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, help="write the vector files into this directory")
    mode.add_argument("--check", type=Path, help="fail if the files in this directory are stale")
    options = parser.parse_args(argv)
    files = build_all()
    if options.out:
        options.out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (options.out / name).write_text(text)
        print(f"wrote {len(files)} files to {options.out}")
        return 0
    stale = [
        n
        for n, t in files.items()
        if not (options.check / n).is_file() or (options.check / n).read_text() != t
    ]
    if stale:
        print(
            f"Checked-in vectors are not up to date: {', '.join(stale)}. Regenerate with `make vectors`.",
            file=sys.stderr,
        )
        return 1
    print(f"vectors up to date ({len(files)} files, suite {SUITE_VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
