"""Test-only backends: the mutants of conformance/oracle/mutants.py, deliberately wrong
implementations (naive sums, double rounding, a non-canonical NaN, ...) that the suite must kill.

Each mutant replaces some of oracle.spec's operations by near misses with the same signatures;
this adapter runs them like any backend, so a mutant fails exactly the vectors that tell its bug
from the spec. harness/kills.py counts those failures per operation and fails the run when a
mutant fails fewer than `kills.MIN_KILLS` vectors.

`oracle-control` runs oracle.spec itself through the same adapter. It must pass every vector it
runs: otherwise a mutant's "kills" could come from this adapter instead of from its bug.

Mutants run on the exact (Fraction) arithmetic of the oracle, which is fast on the listed vectors
but would take minutes on generated inputs of up to 3e6 elements, so they decline generated tests.
They also decline tests that expect an error: a mutant alters numbers, and a code it does not
check (a dtype, say) is the harness's to convert, not a kill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from harness.backend import OPERATIONS, Backend, Capabilities, PenaltySpec, SpecError

_NUMERIC = ("value", "gradient", "prox", "loss", "l1_regularization")
_NOT_NUMERIC = "mutants alter numeric operations only"
_GAPS = {
    "mixed_dtype": "a mutant takes one working format, as oracle.spec does",
    "generated": "the exact arithmetic under the mutants is too slow for generated inputs (up to 3e6)",
}


@dataclass(frozen=True)
class _Control:
    """oracle.spec unchanged, in the shape of a Mutant."""

    name: str
    description: str
    operations: Mapping[str, Callable]


def _oracle() -> Any:
    from oracle import spec

    return spec


class MutantBackend(Backend):
    language = "Python (oracle)"
    worker = "mutants"
    mutant = True

    def __init__(self, mutant: Any, *, control: bool = False) -> None:
        self.definition = mutant
        self.control = control
        self.name = mutant.name if control else f"mutant-{mutant.name}"
        self.description = mutant.description
        # An operation a mutant leaves as the oracle's own function cannot fail: running it would
        # only cost time, so it is a gap like an operation the mutant does not list.
        oracle = _oracle()
        changed = tuple(
            op
            for op in OPERATIONS
            if op in mutant.operations and (control or mutant.operations[op] is not getattr(oracle, op, None))
        )
        gaps = {op: _NOT_NUMERIC for op in OPERATIONS if op not in _NUMERIC}
        if not control:
            unchanged = f"the mutant changes only {', '.join(changed)}"
            gaps.update({op: unchanged for op in _NUMERIC if op not in changed})
        self.capabilities = Capabilities(
            dtypes=("float64", "float32"),
            operations=changed,
            features=("penalty_factor", "integer_input", "ndarray"),
            gaps={**gaps, **_GAPS},
        )

    def declines(self, test: dict) -> str | None:
        if "expected_error" in test:
            return "mutants are judged on numeric results; this test expects an error code"
        return None

    def _run(self, operation: str, *args: Any) -> Any:
        spec = _oracle()
        try:
            return self.definition.operations[operation](*args)
        except spec.SpecError as e:
            raise SpecError(e.code, str(e)) from None

    def _penalty(self, penalty: PenaltySpec) -> Any:
        spec = _oracle()
        factor = None if penalty.penalty_factor is None else [float(f) for f in penalty.penalty_factor]
        try:
            return spec.make_penalty(penalty.type, dict(penalty.params), factor)
        except spec.SpecError as e:
            raise SpecError(e.code, str(e)) from None

    def value(self, penalty, w):
        return _scalar(self._run("value", self._penalty(penalty), _floats(w), _fmt(w)), w)

    def gradient(self, penalty, w):
        return _array(self._run("gradient", self._penalty(penalty), _floats(w), _fmt(w)), w)

    def prox(self, penalty, w, step):
        return _array(self._run("prox", self._penalty(penalty), _floats(w), float(step), _fmt(w)), w)

    def loss(self, penalty, y_true, y_pred, w):
        result = self._run(
            "loss", self._penalty(penalty), _floats(y_true), _floats(y_pred), _floats(w), _fmt(y_true)
        )
        return _scalar(result, y_true)

    def l1_regularization(self, w, lambda_):
        return _scalar(self._run("l1_regularization", _floats(w), float(lambda_), _fmt(w)), w)


def _dtype(a: np.ndarray) -> str:
    """Integers are float64 input (SPEC 2.0 §E)."""
    return "float64" if a.dtype.kind in "iu" else a.dtype.name


def _fmt(a: np.ndarray) -> Any:
    return _oracle().fmt_of(_dtype(a))


def _floats(a: np.ndarray) -> list[float]:
    """The elements in C order as Python floats; Python's int -> float is correctly rounded, which
    is the spec's conversion of integer input."""
    flat = np.asarray(a).reshape(-1)
    return [float(int(x)) for x in flat] if flat.dtype.kind in "iu" else [float(x) for x in flat]


def _scalar(x: float, like: np.ndarray) -> np.floating:
    # The oracle's results are exact values of the format, so this conversion never rounds (and a
    # NaN keeps its sign, which the non-canonical-NaN mutant relies on).
    return np.array([x], dtype=np.float64).astype(_dtype(like))[0]


def _array(xs: list[float], like: np.ndarray) -> np.ndarray:
    return np.array(xs, dtype=np.float64).astype(_dtype(like)).reshape(np.shape(like))


def control() -> _Control:
    spec = _oracle()
    operations = {name: getattr(spec, name) for name in _NUMERIC if hasattr(spec, name)}
    return _Control("oracle-control", "oracle.spec unchanged: must pass every vector it runs", operations)


def mutant_backends() -> list[Backend]:
    """The control and one backend per mutant; none when oracle/mutants.py does not exist yet."""
    try:
        from oracle.mutants import MUTANTS
    except ModuleNotFoundError as e:
        if e.name != "oracle.mutants":
            raise  # A module the mutants need is missing: that must not pass as "no mutants".
        return []
    return [MutantBackend(control(), control=True), *(MutantBackend(m) for m in MUTANTS)]


BACKENDS = mutant_backends()
