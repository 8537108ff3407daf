"""The native backend through its C ABI, with cffi in ABI mode: the same functions as regpen.native.

This is how any language with a C FFI sees regpen: it opens libregpen.so (installed inside this
package by the build) with `ffi.dlopen` and calls the functions of regpen.h, whose declarations
are read from the installed header itself, so the binding cannot drift from the library.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
from cffi import FFI

from regpen._arrays import as_float_array
from regpen.errors import raise_for_code

__all__ = ["available_isas", "gradient", "isa", "loss", "prox", "set_isa", "value"]

_HERE = Path(__file__).resolve().parent
_KINDS = {"l1": 1, "l2": 2, "elastic_net": 3}


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


class _Format:
    """The C types and functions of one working format, looked up once."""

    def __init__(self, scalar: type, ctype: str, suffix: str) -> None:
        self.scalar = scalar
        self.char = np.dtype(scalar).char
        self.array = ffi.typeof(f"{ctype}[]")
        self.pointer = ffi.typeof(f"{ctype} *")
        self.value = getattr(lib, f"regpen_value_{suffix}")
        self.gradient = getattr(lib, f"regpen_gradient_{suffix}")
        self.prox = getattr(lib, f"regpen_prox_{suffix}")
        self.loss = getattr(lib, f"regpen_loss_{suffix}")


# Keyed by dtype.char: a string lookup, quicker than hashing a dtype on every call.
_FORMATS = {"d": _Format(np.float64, "double", "f64"), "f": _Format(np.float32, "float", "f32")}
_PENALTY = ffi.typeof("regpen_penalty *")
_DOUBLES = ffi.typeof("double[]")


class _Scratch(threading.local):
    """Per-thread argument structs, reused across calls: `ffi.new` costs more than a short call.
    The C library never calls back into Python, so one thread never needs two at once. Penalties
    without factors use a struct whose factor fields stay NULL/0, so only three fields change."""

    def __init__(self) -> None:
        self.plain = ffi.new(_PENALTY)
        self.factored = ffi.new(_PENALTY)
        self.out = {"d": ffi.new("double *"), "f": ffi.new("float *")}


_SCRATCH = _Scratch()


def _check(status: int, what: str) -> None:
    if status != 0:
        raise_for_code(ffi.string(lib.regpen_strerror(status)).decode(), f"{what} failed")


def _array(values: object, name: str) -> tuple[np.ndarray, _Format]:
    array = values if type(values) is np.ndarray else as_float_array(values, name)
    dtype = array.dtype
    if not dtype.isnative:
        # A byte-swapped array: convert to native order (values unchanged), then check the dtype.
        array = array.astype(dtype.newbyteorder("="))
        dtype = array.dtype
    fmt = _FORMATS.get(dtype.char)  # "d" and "f" are float64 and float32 only
    if fmt is None:
        raise_for_code("invalid_dtype", f"{name} must have dtype float32 or float64")
    return array, fmt


def _pointer(array: np.ndarray, fmt: _Format) -> tuple[Any, int]:
    """A pointer to the first element and the stride in elements: no copy for C-contiguous or 1-D
    strided arrays, one contiguous copy for other layouts."""
    try:
        return ffi.from_buffer(fmt.array, array), 1
    except (BufferError, ValueError, TypeError):
        pass  # not C-contiguous
    if array.ndim == 1 and array.strides[0] % array.itemsize == 0:
        # A strided view: the C ABI walks it with its stride (possibly negative).
        return ffi.cast(fmt.pointer, array.ctypes.data), array.strides[0] // array.itemsize
    return ffi.from_buffer(fmt.array, np.ascontiguousarray(array)), 1


def _penalty(penalty: Any) -> tuple[Any, Any]:
    """The regpen_penalty struct (this thread's scratch) and the buffer of its factors, which the
    caller keeps alive for the call."""
    kind = _KINDS.get(penalty.kind)
    if kind is None:
        raise_for_code("invalid_argument", f"unknown penalty kind {penalty.kind!r}")
    factor = penalty.penalty_factor
    keep = None
    if factor is None:
        struct = _SCRATCH.plain
    else:
        struct = _SCRATCH.factored
        factor = np.ascontiguousarray(factor, dtype=np.float64)
        # An empty factor array still means "factors given", so the pointer must not be NULL.
        keep = ffi.from_buffer(_DOUBLES, factor) if factor.size else ffi.new("double[1]")
        struct.penalty_factor = keep
        struct.factor_len = factor.size
    struct.kind = kind
    struct.l1 = penalty.l1
    struct.l2 = penalty.l2
    return struct, keep


def value(penalty: Any, w: object) -> np.floating:
    """The penalty of `w`: a numpy scalar of w's dtype."""
    array, fmt = _array(w, "w")
    struct, _keep = _penalty(penalty)
    data, stride = _pointer(array, fmt)
    out = _SCRATCH.out[fmt.char]
    _check(fmt.value(struct, data, array.size, stride, out), "value")
    return fmt.scalar(out[0])


def _output(array: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    if out is None:
        return np.empty(array.shape, dtype=array.dtype)
    if not (
        isinstance(out, np.ndarray)
        and out.dtype == array.dtype
        and out.shape == array.shape
        and out.flags.c_contiguous
        and out.flags.writeable
    ):
        raise ValueError("out must be a writable C-contiguous array of w's shape and dtype")
    return out


def _elementwise(name: str, penalty: Any, w: object, out: np.ndarray | None, *extra: float) -> np.ndarray:
    array, fmt = _array(w, "w")
    struct, _keep = _penalty(penalty)
    result = _output(array, out)
    if out is not None and np.may_share_memory(array, result) and array is not result:
        array = array.copy()  # the kernels must read every input before its slot is written
    data, stride = _pointer(array, fmt)
    target = ffi.from_buffer(fmt.array, result, require_writable=True)
    _check(getattr(fmt, name)(struct, data, array.size, stride, *extra, target), name)
    return result


def gradient(penalty: Any, w: object, out: np.ndarray | None = None) -> np.ndarray:
    """The (sub)gradient at `w`: a new array of w's shape and dtype, or `out` filled."""
    return _elementwise("gradient", penalty, w, out)


def prox(penalty: Any, w: object, step: float, out: np.ndarray | None = None) -> np.ndarray:
    """The proximal step at `w` with step size `step`: a new array, or `out` filled."""
    return _elementwise("prox", penalty, w, out, float(step))


def loss(y_true: object, y_pred: object, w: object, penalty: Any) -> np.floating:
    """Mean squared error of the predictions plus `penalty.value(w)` (spec `computeLoss`)."""
    (y, fy), (p, fp), (x, fx) = _array(y_true, "y_true"), _array(y_pred, "y_pred"), _array(w, "w")
    if not (fy is fp is fx):
        raise_for_code("invalid_dtype", "y_true, y_pred and w must share one dtype")
    struct, _keep = _penalty(penalty)
    # The C ABI sees flat lengths, so equal sizes with different shapes are caught here.
    if y.shape != p.shape and lib.regpen_validate_penalty(struct) == 0:
        raise_for_code("shape_mismatch", "y_true and y_pred have different shapes")
    (yd, ys), (pd, ps), (xd, xs) = _pointer(y, fy), _pointer(p, fy), _pointer(x, fy)
    out = _SCRATCH.out[fy.char]
    _check(fy.loss(struct, yd, y.size, ys, pd, p.size, ps, xd, x.size, xs, out), "loss")
    return fy.scalar(out[0])


def set_isa(name: str) -> None:
    """Selects the kernels: "scalar", "avx2", "avx512", or "auto" (the start-up choice)."""
    _check(lib.regpen_set_isa(name.encode()), f"set_isa({name!r})")


def isa() -> str:
    """The instruction set of the kernels in use."""
    return ffi.string(lib.regpen_isa()).decode()


def available_isas() -> list[str]:
    """The instruction sets this CPU can run, portable first."""
    return [n for n in ("scalar", "avx2", "avx512") if lib.regpen_isa_available(n.encode())]
