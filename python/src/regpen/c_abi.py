"""The native backend through its C ABI, with cffi in ABI mode: the same functions as regpen.native.

This is how any language with a C FFI sees regpen: it opens libregpen.so (installed inside this
package by the build) with `ffi.dlopen` and calls the functions of regpen.h, whose declarations
are read from the installed header itself, so the binding cannot drift from the library.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from cffi import FFI

from regpen._arrays import as_float_array
from regpen.errors import raise_for_code

__all__ = ["available_isas", "gradient", "isa", "loss", "prox", "set_isa", "value"]

_HERE = Path(__file__).resolve().parent
_KINDS = {"l1": 1, "l2": 2, "elastic_net": 3}
_TYPES = {np.dtype(np.float64): ("double", "f64"), np.dtype(np.float32): ("float", "f32")}


def _declarations(header: Path) -> str:
    """The cdef text: the region between the cffi markers of regpen.h, without the export macro."""
    text = header.read_text()
    region = text.split("/* cffi-begin */", 1)[1].split("/* cffi-end */", 1)[0]
    return re.sub(r"\bREGPEN_API\s+", "", region)


def _open() -> tuple[FFI, Any]:
    header, library = _HERE / "regpen.h", _HERE / "libregpen.so"
    if not (header.is_file() and library.is_file()):
        raise ImportError(f"{library} is not built; build it with `make python` (pip install ./python)")
    ffi = FFI()
    ffi.cdef(_declarations(header))
    return ffi, ffi.dlopen(str(library))


ffi, lib = _open()


def _check(status: int, what: str) -> None:
    if status != 0:
        raise_for_code(ffi.string(lib.regpen_strerror(status)).decode(), f"{what} failed")


def _array(values: object, name: str) -> np.ndarray:
    array = values if type(values) is np.ndarray else as_float_array(values, name)
    if not array.dtype.isnative:
        # A byte-swapped array: convert to native order (values unchanged), then check the dtype.
        array = array.astype(array.dtype.newbyteorder("="))
    if array.dtype not in _TYPES:
        raise_for_code("invalid_dtype", f"{name} must have dtype float32 or float64")
    return array


def _pointer(array: np.ndarray) -> tuple[Any, int]:
    """A pointer to the first element and the stride in elements: no copy for C-contiguous or 1-D
    strided arrays, one contiguous copy for other layouts."""
    ctype = _TYPES[array.dtype][0]
    if array.flags.c_contiguous:
        return ffi.from_buffer(f"{ctype}[]", array), 1
    if array.ndim == 1 and array.strides[0] % array.itemsize == 0:
        # A strided view: the C ABI walks it with its stride (possibly negative).
        return ffi.cast(f"{ctype} *", array.ctypes.data), array.strides[0] // array.itemsize
    return ffi.from_buffer(f"{ctype}[]", np.ascontiguousarray(array)), 1


def _penalty(penalty: Any) -> tuple[Any, Any]:
    """The regpen_penalty struct and the buffer of its factors (kept alive by the caller)."""
    struct = ffi.new("regpen_penalty *")
    kind = _KINDS.get(penalty.kind)
    if kind is None:
        raise_for_code("invalid_argument", f"unknown penalty kind {penalty.kind!r}")
    struct.kind = kind
    struct.l1 = float(penalty.l1)
    struct.l2 = float(penalty.l2)
    keep = None
    factor = penalty.penalty_factor
    if factor is not None:
        factor = np.ascontiguousarray(factor, dtype=np.float64)
        # An empty factor array still means "factors given", so the pointer must not be NULL.
        keep = ffi.from_buffer("double[]", factor) if factor.size else ffi.new("double[1]")
        struct.penalty_factor = keep
        struct.factor_len = factor.size
    return struct, keep


def value(penalty: Any, w: object) -> np.floating:
    """The penalty of `w`: a numpy scalar of w's dtype."""
    array = _array(w, "w")
    ctype, suffix = _TYPES[array.dtype]
    struct, _keep = _penalty(penalty)
    data, stride = _pointer(array)
    out = ffi.new(f"{ctype} *")
    _check(getattr(lib, f"regpen_value_{suffix}")(struct, data, array.size, stride, out), "value")
    return array.dtype.type(out[0])


def _elementwise(name: str, penalty: Any, w: object, *extra: float) -> np.ndarray:
    array = _array(w, "w")
    ctype, suffix = _TYPES[array.dtype]
    struct, _keep = _penalty(penalty)
    data, stride = _pointer(array)
    result = np.empty(array.shape, dtype=array.dtype)
    out = ffi.from_buffer(f"{ctype}[]", result, require_writable=True)
    function = getattr(lib, f"regpen_{name}_{suffix}")
    _check(function(struct, data, array.size, stride, *extra, out), name)
    return result


def gradient(penalty: Any, w: object) -> np.ndarray:
    """The (sub)gradient at `w`, a new array of w's shape and dtype."""
    return _elementwise("gradient", penalty, w)


def prox(penalty: Any, w: object, step: float) -> np.ndarray:
    """The proximal step at `w` with step size `step`, a new array of w's shape and dtype."""
    return _elementwise("prox", penalty, w, float(step))


def loss(y_true: object, y_pred: object, w: object, penalty: Any) -> np.floating:
    """Mean squared error of the predictions plus `penalty.value(w)` (spec `computeLoss`)."""
    y, p, x = _array(y_true, "y_true"), _array(y_pred, "y_pred"), _array(w, "w")
    if not (y.dtype == p.dtype == x.dtype):
        raise_for_code("invalid_dtype", "y_true, y_pred and w must share one dtype")
    ctype, suffix = _TYPES[y.dtype]
    struct, _keep = _penalty(penalty)
    # The C ABI sees flat lengths, so equal sizes with different shapes are caught here.
    if y.shape != p.shape and lib.regpen_validate_penalty(struct) == 0:
        raise_for_code("shape_mismatch", "y_true and y_pred have different shapes")
    (yd, ys), (pd, ps), (xd, xs) = _pointer(y), _pointer(p), _pointer(x)
    out = ffi.new(f"{ctype} *")
    function = getattr(lib, f"regpen_loss_{suffix}")
    _check(function(struct, yd, y.size, ys, pd, p.size, ps, xd, x.size, xs, out), "loss")
    return y.dtype.type(out[0])


def set_isa(name: str) -> None:
    """Selects the kernels: "scalar", "avx2", "avx512", or "auto" (the start-up choice)."""
    _check(lib.regpen_set_isa(name.encode()), f"set_isa({name!r})")


def isa() -> str:
    """The instruction set of the kernels in use."""
    return ffi.string(lib.regpen_isa()).decode()


def available_isas() -> list[str]:
    """The instruction sets this CPU can run, portable first."""
    return [n for n in ("scalar", "avx2", "avx512") if lib.regpen_isa_available(n.encode())]
