"""The native backend from Python: regpen's C++ kernels through the pybind11 extension `_native`.

Same results as the reference penalties, bit for bit (conformance/SPEC.md), computed by the C ABI
of native/include/regpen.h: correctly rounded reductions that run at memory speed, and elementwise
operations on every SIMD level the CPU has. Arrays are used in place when they are float32/float64
(strided views too); anything else is converted by the reference's rules first.

`penalty` is any object with `.kind` ("l1", "l2" or "elastic_net"), `.l1`, `.l2` and
`.penalty_factor` (None or float64 values), such as `regpen.L1(0.1)`. Parameters are validated by
the C library itself, so a bad one raises the spec's error even when the object did not check it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from regpen._arrays import as_float_array

try:
    from regpen import _native
except ImportError as error:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        "regpen's native extension is not built; build it with `make python` "
        "(pip install ./python) from the repository root"
    ) from error

__all__ = ["available_isas", "gradient", "isa", "loss", "prox", "set_isa", "value"]


def _array(values: object, name: str) -> np.ndarray:
    # The common case (an ndarray) skips the conversion; its dtype is checked in C++.
    return values if type(values) is np.ndarray else as_float_array(values, name)


def value(penalty: Any, w: object) -> np.floating:
    """The penalty of `w`: a numpy scalar of w's dtype."""
    return _native.value(penalty, _array(w, "w"))


def gradient(penalty: Any, w: object) -> np.ndarray:
    """The (sub)gradient at `w`, a new array of w's shape and dtype."""
    return _native.gradient(penalty, _array(w, "w"))


def prox(penalty: Any, w: object, step: float) -> np.ndarray:
    """The proximal step at `w` with step size `step`, a new array of w's shape and dtype."""
    return _native.prox(penalty, _array(w, "w"), float(step))


def loss(y_true: object, y_pred: object, w: object, penalty: Any) -> np.floating:
    """Mean squared error of the predictions plus `penalty.value(w)` (spec `computeLoss`)."""
    return _native.loss(_array(y_true, "y_true"), _array(y_pred, "y_pred"), _array(w, "w"), penalty)


def set_isa(name: str) -> None:
    """Selects the kernels: "scalar", "avx2", "avx512", or "auto" (the start-up choice)."""
    _native.set_isa(name)


def isa() -> str:
    """The instruction set of the kernels in use."""
    return _native.isa()


def available_isas() -> list[str]:
    """The instruction sets this CPU can run, portable first."""
    return _native.available_isas()
