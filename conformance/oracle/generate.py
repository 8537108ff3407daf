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
import struct
import sys
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path

from oracle import spec
from oracle.ieee import BINARY64, FORMATS, INF, NAN, Format, is_representable, round_exact
from oracle.training import build_training_suite

SUITE_VERSION = "1.0.0"
SCHEMA = "regpen-vectors-1"
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
}


# ---------------------------------------------------------------- encoding


def hex_value(x: float, dtype: str) -> str:
    if not is_representable(x, FORMATS[dtype]):
        raise ValueError(f"{x!r} is not a {dtype} value: round generated inputs with in_format")
    if dtype == "float64":
        return f"0x{struct.unpack('<Q', struct.pack('<d', x))[0]:016x}"
    return f"0x{struct.unpack('<I', struct.pack('<f', x))[0]:08x}"


def hex_list(xs: Iterable[float], dtype: str) -> list[str]:
    return [hex_value(x, dtype) for x in xs]


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


def numeric_test(
    operation: str,
    dtype: str,
    type_: str,
    params: dict[str, float],
    args: dict[str, object],
    comment: str,
    flags: list[str],
    factor: list[float] | None = None,
) -> dict:
    """One value/gradient/prox/loss test: inputs in dtype, expected from the oracle."""
    fmt = FORMATS[dtype]
    test: dict[str, object] = {"id": "", "comment": comment, "flags": sorted(set(flags))}
    test["operation"] = operation
    test["dtype"] = dtype
    test["penalty"] = raw_penalty_json(type_, params, factor)
    encoded_args: dict[str, object] = {}
    for name, arg in args.items():
        encoded_args[name] = hex_value(arg, "float64") if name == "step" else hex_list(arg, dtype)
    test["args"] = encoded_args
    if factor is not None:
        test["flags"] = sorted(set(test["flags"]) | {"penalty_factor"})

    def compute() -> object:
        p = spec.make_penalty(type_, params, factor)
        if operation == "value":
            return hex_value(spec.value(p, args["w"], fmt), dtype)
        if operation == "gradient":
            return hex_list(spec.gradient(p, args["w"], fmt), dtype)
        if operation == "prox":
            return hex_list(spec.prox(p, args["w"], args["step"], fmt), dtype)
        return hex_value(spec.loss(p, args["y_true"], args["y_pred"], args["w"], fmt), dtype)

    key, result = run_case(compute)
    test[key] = result
    if key == "expected_error":
        test["flags"] = sorted(set(test["flags"]) | {"invalid"})
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
    return suite


# ---------------------------------------------------------------- loss


def loss_test(
    dtype: str,
    type_: str,
    params: dict[str, float],
    data: tuple[list[float], list[float], list[float]],
    comment: str,
    flags: list[str],
    factor: list[float] | None = None,
) -> dict:
    """One loss test; `data` is (y_true, y_pred, w)."""
    args = dict(zip(("y_true", "y_pred", "w"), data, strict=True))
    return numeric_test("loss", dtype, type_, params, args, comment, flags, factor)


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
                test = loss_test(
                    dtype, type_, good, ([1.0], [2.0], [1.0]), f"{arg} is {other}", ["invalid", "mixed_dtype"]
                )
                test["arg_dtypes"] = {arg: other}
                test["args"][arg] = hex_list([1.0] if arg == "w" else [2.0], other)
                test.pop("expected", None)
                test["expected_error"] = "invalid_dtype"
                tests.append(test)
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
