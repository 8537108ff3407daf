"""The native backend from Python: regpen's C++ kernels through the pybind11 extension `_native`.

Same results as the reference penalties, bit for bit NaN included (conformance/SPEC.md), computed
by the C ABI of native/include/regpen.h: scalar results that are the exact value rounded once, at
memory speed, and elementwise operations on every SIMD level the CPU has. float32/float64 arrays of
any shape are used in place (strided, reversed and broadcast views too); everything else goes
through the reference's own conversion (regpen._arrays): lists, numbers and integer arrays become
float64, and bool, strings, float16, complex, object and None raise `invalid_dtype`.

`penalty` is any object with `.kind` ("l1", "l2" or "elastic_net"), `.l1`, `.l2` and
`.penalty_factor` (None or float64 values): the attributes the reference penalties compute with,
such as `regpen.L1(0.1)`. Parameters and steps are read by the reference's rule (a bool is not a
number) and validated by the C library itself, so a bad one raises the spec's error, with the C
library's message, even when the object did not check it.

    value(penalty, w)                    -> numpy scalar of w's dtype
    gradient(penalty, w, out=None)       -> array of w's shape and dtype (or `out`, filled)
    prox(penalty, w, step, out=None)     -> array of w's shape and dtype (or `out`, filled)
    loss(y_true, y_pred, w, penalty)     -> mean squared error + penalty.value(w)
    l1_regularization(weights, lambda_)  -> L1(lambda_).value(weights), in the weights' dtype
    set_isa(name), isa(), available_isas()   "scalar", "avx2", "avx512" ("auto": start-up choice)

The functions are the extension's own (no Python wrapper in between), which keeps a call on a
short array at a few hundred nanoseconds.
"""

from __future__ import annotations

try:
    from regpen._native import (
        available_isas,
        gradient,
        isa,
        l1_regularization,
        loss,
        prox,
        set_isa,
        value,
    )
except ImportError as error:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        "regpen's native extension is not built; build it with `make python` "
        "(pip install ./python) from the repository root"
    ) from error

__all__ = ["available_isas", "gradient", "isa", "l1_regularization", "loss", "prox", "set_isa", "value"]
