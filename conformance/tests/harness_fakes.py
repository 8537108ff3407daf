"""Test-only backends and a tiny vector suite for the harness's own tests (never registered).

The fakes compute L1 values of small integers, where plain float arithmetic is exact, so the
expected values written here are known without any backend; the point is to test the harness.
Special weights trigger misbehaviour: 13 aborts the process, 99 exits it with status 3, 666 hangs,
7 prints to stdout.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harness import codec
from harness.backend import Backend, Capabilities, SpecError

HERE = Path(__file__).resolve().parent
REAL_SCHEMA = HERE.parent / "vectors" / "schema.json"
ABORT, EXIT, HANG, NOISE = 13.0, 99.0, 666.0, 7.0
SUITE_NAME = "fake"  # The manifest's name for the fake suite, which expected-failure lists name.


class Honest(Backend):
    """Computes lam * sum|w| in float64; exact for the small integers used here."""

    name = "fake-honest"
    language = "Python"
    capabilities = Capabilities(dtypes=("float64",), operations=("value",), features=())

    def value(self, penalty, w):
        lam = penalty.params["lam"]
        if not lam >= 0:
            raise SpecError("invalid_lambda")
        if ABORT in w:
            os.abort()
        if EXIT in w:
            os._exit(3)
        if HANG in w:
            time.sleep(3600)
        if NOISE in w:
            print("noise on stdout from a backend")
            os.write(1, b"raw noise on fd 1\n")
        return np.float64(lam * np.abs(w).sum())


class OffByOne(Honest):
    """Returns the next float above the right answer and never reports an error."""

    name = "fake-off-by-one"

    def value(self, penalty, w):
        return np.nextafter(np.float64(penalty.params["lam"] * np.abs(w).sum()), np.inf)


class Teacher(OffByOne):
    name = "fake-teaching"
    teaching = True


class Missing(Honest):
    name = "fake-missing"

    def unavailable(self):
        return "not built on this machine"


class SharedA(Honest):
    """Two backends naming one worker: they must report the same process id."""

    name = "fake-shared-a"
    worker = "fake-shared"

    def value(self, penalty, w):
        return np.float64(os.getpid())


class SharedB(SharedA):
    name = "fake-shared-b"


BACKENDS = [Honest(), OffByOne(), Teacher(), Missing(), SharedA(), SharedB()]
REGISTRY = "harness_fakes:BACKENDS"


@dataclass(frozen=True)
class FakeMutant:
    """The shape of oracle.mutants.Mutant (the spec helper's module), for tests that must not
    depend on which mutants the real suite has."""

    name: str
    description: str
    operations: Mapping[str, Callable]


def _one_ulp_up(p, w, fmt):
    from oracle import spec

    return math.nextafter(spec.value(p, w, fmt), math.inf)


def _wrong_if_long(p, w, fmt):
    from oracle import spec

    return 0.0 if len(w) > 1000 else spec.value(p, w, fmt)


FAKE_MUTANTS = (
    FakeMutant("one-ulp-up", "value one ulp too high", {"value": _one_ulp_up}),
    FakeMutant("long-only", "wrong beyond 1000 elements", {"value": _wrong_if_long}),
)


def with_mutants() -> list[Backend]:
    from harness.backends import mutants

    return [Honest(), mutants.MutantBackend(mutants.control(), control=True)] + [
        mutants.MutantBackend(m) for m in FAKE_MUTANTS
    ]


MUTANT_REGISTRY = "harness_fakes:with_mutants"


def value_test(index: int, w: list[float], lam: float, expected: float | None, error: str | None = None):
    test = {
        "id": f"value/l1/float64/fake/{index}",
        "comment": f"w = {w}",
        "flags": [],
        "operation": "value",
        "dtype": "float64",
        "penalty": {"type": "l1", "lam": codec.encode_scalar(lam)},
        "args": {"w": codec.encode_array(np.array(w, np.float64))},
    }
    if error is None:
        test["expected"] = codec.encode_scalar(expected)
    else:
        test["expected_error"] = error
    return test


def write_suite(directory: Path, tests: list[dict]) -> Path:
    """A one-file suite (value.json) with the real schema and a correct manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(REAL_SCHEMA, directory / "schema.json")
    schema = json.loads(REAL_SCHEMA.read_text())
    document = {
        "suite": "regpen",
        "suite_version": "0.0.1",
        "schema": schema["properties"]["schema"]["const"],  # Whatever schema the suite is on now.
        "operation": "value",
        "number_of_tests": len(tests),
        "notes": {},
        "groups": [{"group": "value/l1/float64/fake", "comment": "harness tests", "tests": tests}],
    }
    raw = json.dumps(document, indent=1).encode()
    (directory / "value.json").write_bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    manifest = {"suite": SUITE_NAME, "suite_version": "0.0.1", "files": {"value.json": digest}}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return directory


def standard_tests() -> list[dict]:
    """Two ordinary cases, one error case, an abort, a hang, one that prints, an exit, one more."""
    return [
        value_test(0, [1.0, -2.0], 0.5, 1.5),
        value_test(1, [3.0], 2.0, 6.0),
        value_test(2, [1.0], -1.0, None, "invalid_lambda"),
        value_test(3, [1.0, ABORT], 1.0, 14.0),
        value_test(4, [HANG], 1.0, HANG),
        value_test(5, [NOISE], 1.0, NOISE),
        value_test(6, [EXIT], 1.0, EXIT),
        value_test(7, [4.0, 4.0], 0.25, 2.0),
    ]


def python_path() -> str:
    """PYTHONPATH for a harness subprocess that must find the fakes."""
    return os.pathsep.join([str(HERE), str(HERE.parent)])
