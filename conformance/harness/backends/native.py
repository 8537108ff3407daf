"""Adapters for the native C++ backend: one per binding (pybind11, cffi) and per instruction set.

`native-pybind-<isa>` calls regpen.native (the pybind11 extension), `native-cffi-<isa>` calls
regpen.c_abi (cffi over libregpen.so). Each forces its ISA before every call, so the kernels of
every SIMD level the CPU has are checked against the vectors. Parameters reach the C library
unvalidated (a plain record, not regpen's checked classes), so its own checks produce the codes.
Inputs are numpy arrays as the vectors give them: int64 for integer inputs, any shape for ndarray.

The bindings have no `l1_regularization` of their own: the seed helper is defined as
L1(lambda).value(weights), so that operation is computed exactly so, through the binding's `value`
(a binding that gains the function is called directly).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from regpen_names import PENALTIES

from harness import timing
from harness.backend import Backend, Capabilities, PenaltySpec, SpecError

ISAS = ("scalar", "avx2", "avx512")
BINDINGS = {"pybind": "regpen.native", "cffi": "regpen.c_abi"}
_CONFIG_GAP = "C ABI covers numerics only; configuration lives in each host language"


@dataclass(frozen=True)
class _Penalty:
    """The attributes the bindings read, straight from the vector."""

    kind: str
    l1: float
    l2: float
    penalty_factor: np.ndarray | None


def _penalty(spec: PenaltySpec) -> _Penalty:
    """The C ABI's record: the strength of each part (|w| and w²), zero for a part the type lacks."""
    kind = PENALTIES[spec.type]
    parts = {"l1": 0.0, "l2": 0.0}
    parts.update({part: spec.params[name] for name, part in zip(kind.params, kind.parts, strict=True)})
    return _Penalty(spec.type, parts["l1"], parts["l2"], spec.penalty_factor)


class Native(Backend):
    language = "C++"
    capabilities = Capabilities(
        dtypes=("float64", "float32"),
        operations=("value", "gradient", "prox", "loss", "l1_regularization"),
        features=("penalty_factor", "mixed_dtype", "integer_input", "ndarray", "generated"),
        gaps={op: _CONFIG_GAP for op in ("from_config", "config_roundtrip", "convert")},
    )

    def __init__(self, binding: str, isa: str) -> None:
        self.binding, self.isa = binding, isa
        self.name = f"native-{binding}-{isa}"
        self.worker = self.name
        self._module: Any = None

    def _load(self) -> Any:
        if self._module is None:
            self._module = importlib.import_module(BINDINGS[self.binding])
        return self._module

    def unavailable(self) -> str | None:
        try:
            module = self._load()
        except ImportError as e:
            return f"{BINDINGS[self.binding]} does not import ({e}); build it with `make python`"
        if self.isa not in module.available_isas():
            return f"this CPU (or build) has no {self.isa} support"
        return None

    def _call(self, operation: str, *args: Any) -> Any:
        import regpen

        module = self._load()
        module.set_isa(self.isa)
        try:
            return getattr(module, operation)(*args)
        except regpen.RegpenError as e:
            raise SpecError(e.code, str(e)) from e

    def value(self, penalty, w):
        return self._call("value", _penalty(penalty), w)

    def gradient(self, penalty, w):
        return self._call("gradient", _penalty(penalty), w)

    def prox(self, penalty, w, step):
        return self._call("prox", _penalty(penalty), w, step)

    def loss(self, penalty, y_true, y_pred, w):
        return self._call("loss", y_true, y_pred, w, _penalty(penalty))

    def l1_regularization(self, w, lambda_):
        if hasattr(self._load(), "l1_regularization"):
            return self._call("l1_regularization", w, lambda_)
        return self._call("value", _Penalty("l1", lambda_, 0.0, None), w)

    def time_kernel(self, operation, penalty, w, step, repeats):
        """The binding's call as a training loop makes it: gradient and prox write into one
        preallocated `out` (numpy's convention), so an 80 MB allocation is not what gets timed."""
        module = self._load()
        module.set_isa(self.isa)
        p = _penalty(penalty)
        out = np.empty_like(w)
        calls = {
            "value": lambda: module.value(p, w),
            "gradient": lambda: module.gradient(p, w, out=out),
            "prox": lambda: module.prox(p, w, step, out=out),
        }
        if operation not in calls:
            return None
        seconds, _ = timing.median_call_seconds(calls[operation], repeats, budget=10.0)
        return seconds


BACKENDS = [Native(binding, isa) for binding in BINDINGS for isa in ISAS]
