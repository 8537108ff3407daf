"""The one interface every backend adapter implements (one small file per backend in backends/).

An adapter runs inside a worker process. It receives decoded inputs (numpy arrays of the test's
dtype, binary64 parameters) and returns numpy results of the same dtype, or raises SpecError with
the spec's error code. Anything else it raises is reported as a crash of that cell, not as a code.
Integer inputs (flag integer_input) arrive as int64 arrays and count as float64 (SPEC 2.0 §E);
ndarray inputs keep their shape, and gradient/prox must return that shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import regpen_names

OPERATIONS = regpen_names.OPERATIONS
# Vector flags that ask something of a backend beyond its operation and dtype. "generated" inputs
# are expanded by the harness (harness/inputs.py), so it is a feature only for the size it brings.
FEATURES = ("penalty_factor", "mixed_dtype", "integer_input", "ndarray", "generated")
PENALTIES = regpen_names.PENALTY_TYPES


class SpecError(Exception):
    """A backend's error, already mapped onto one of SPEC.md's error codes."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code


@dataclass(frozen=True)
class PenaltySpec:
    """A penalty as the vectors describe it: the type name, binary64 parameters, optional factors."""

    type: str  # a key of regpen_names.PENALTIES
    params: dict[str, float]  # its parameter names -> binary64 values
    penalty_factor: np.ndarray | None = None  # float64


@dataclass(frozen=True)
class Capabilities:
    """What a backend implements. Gaps carry their reason, so they are reported, never silently skipped."""

    dtypes: tuple[str, ...] = ("float64", "float32")
    operations: tuple[str, ...] = OPERATIONS
    features: tuple[str, ...] = ("penalty_factor", "generated")
    penalties: tuple[str, ...] = PENALTIES
    gaps: dict[str, str] = field(default_factory=dict)  # dtype/operation/feature/penalty -> reason

    def gap(self, dtype: str, operation: str, flags: list[str], penalty: str | None = None) -> str | None:
        """The reason a case is unsupported, or None when the backend can run it. `penalty` is the
        test's penalty type, when it has one (config parsing and conversion tests have none)."""
        if penalty is not None and penalty not in self.penalties:
            return self.gaps.get(penalty, f"penalty {penalty} not implemented")
        if dtype not in self.dtypes:
            return self.gaps.get(dtype, f"dtype {dtype} not implemented")
        if operation not in self.operations:
            return self.gaps.get(operation, f"operation {operation} not implemented")
        for feature in FEATURES:
            if feature in flags and feature not in self.features:
                return self.gaps.get(feature, f"feature {feature} not implemented")
        return None


class Backend:
    """Base class: override the operations the backend declares in `capabilities`."""

    name: str = ""
    language: str = ""
    worker: str = ""  # backends naming the same worker share one process (one JVM, say)
    teaching: bool = False  # a seed snippet: its mismatches are reported as drift, not failures
    # A deliberately wrong implementation (test-only): the suite must kill it, i.e. it must fail at
    # least a few vectors (harness/kills.py). Never a real or teaching backend.
    mutant: bool = False
    capabilities: Capabilities = Capabilities()

    def unavailable(self) -> str | None:
        """Why this backend cannot run on this machine (not built, ISA missing), or None."""
        return None

    def setup(self) -> None:
        """Called once in the worker process before the first call (start a JVM, load a library)."""

    def declines(self, test: dict) -> str | None:
        """Why this backend does not run a test its capabilities would allow, or None. Only mutants
        use it, to stay out of tests that would count as kills for reasons other than their bug."""
        return None

    def value(self, penalty: PenaltySpec, w: np.ndarray) -> np.floating:
        raise NotImplementedError

    def gradient(self, penalty: PenaltySpec, w: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def prox(self, penalty: PenaltySpec, w: np.ndarray, step: float) -> np.ndarray:
        raise NotImplementedError

    def loss(
        self,
        penalty: PenaltySpec,
        y_true: np.ndarray,
        y_pred: np.ndarray,
        w: np.ndarray,
    ) -> np.floating:
        raise NotImplementedError

    def l1_regularization(self, w: np.ndarray, lambda_: float) -> np.floating:
        """The seed's helper: L1(lambda_).value(w) in w's dtype."""
        raise NotImplementedError

    def from_config(self, text: str) -> PenaltySpec:
        raise NotImplementedError

    def to_config(self, penalty: PenaltySpec) -> str:
        raise NotImplementedError

    def convert(self, convention: str, params: dict[str, float]) -> PenaltySpec:
        raise NotImplementedError

    def time_kernel(
        self,
        operation: str,
        penalty: PenaltySpec,
        w: np.ndarray,
        step: float,
        repeats: int,
    ) -> float | None:
        """Median seconds per call measured inside the backend's own runtime (a JVM timing loop, say),
        so that benchmarks compare kernels without the Python-to-language transfer. None means the
        harness times the Python call instead."""
        return None


def seed_capabilities(
    language_gaps: dict[str, str], features: tuple[str, ...] = ("generated",)
) -> Capabilities:
    """What every seed snippet can do: L1's value on one float64 array, nothing else. The snippet
    is the seed's `l1_regularization` helper, so it runs that operation's vectors and L1 `value`.

    `language_gaps` adds or overrides the reasons that depend on the language (float32, loss,
    mixed dtypes, integers, shapes); the rest are the same for every seed. `features` are the input
    kinds the snippet takes as written.
    """
    only_value = "the seed only computes the penalty's value"
    no_config = "the seed has no configuration format"
    gaps = {
        "l2": "the seed implements L1 only",
        "elastic_net": "the seed implements L1 only",
        "gradient": only_value,
        "prox": only_value,
        "from_config": no_config,
        "config_roundtrip": no_config,
        "convert": "the seed has no converters",
        "penalty_factor": "the seed has no per-coordinate factors",
    }
    gaps.update(language_gaps)
    return Capabilities(
        dtypes=("float64",),
        operations=("value", "l1_regularization"),
        features=features,
        penalties=("l1",),
        gaps=gaps,
    )
