"""The native backend from Python: regpen's C++ kernels through the pybind11 extension `_native`.

Same results as the reference penalties, bit for bit (conformance/SPEC.md), computed by the C ABI
of native/include/regpen.h: correctly rounded reductions that run at memory speed, and elementwise
operations on every SIMD level the CPU has. float32/float64 arrays are used in place (strided
views too); lists and numbers follow the reference's dtype rules (float64, or `invalid_dtype`).

`penalty` is any object with `.kind` ("l1", "l2" or "elastic_net"), `.l1`, `.l2` and
`.penalty_factor` (None or float64 values), such as `regpen.L1(0.1)`. Parameters are validated by
the C library itself, so a bad one raises the spec's error even when the object did not check it.

    value(penalty, w)                    -> numpy scalar of w's dtype
    gradient(penalty, w, out=None)       -> array of w's shape and dtype (or `out`, filled)
    prox(penalty, w, step, out=None)     -> array of w's shape and dtype (or `out`, filled)
    loss(y_true, y_pred, w, penalty)     -> mean squared error + penalty.value(w)
    set_isa(name), isa(), available_isas()   "scalar", "avx2", "avx512" ("auto": start-up choice)

The functions are the extension's own (no Python wrapper in between), which keeps a call on a
short array at a few hundred nanoseconds.
"""

from __future__ import annotations

try:
    from regpen._native import available_isas, gradient, isa, loss, prox, set_isa, value
except ImportError as error:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        "regpen's native extension is not built; build it with `make python` "
        "(pip install ./python) from the repository root"
    ) from error

__all__ = ["available_isas", "gradient", "isa", "loss", "prox", "set_isa", "value"]
