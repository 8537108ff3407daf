"""The native backend through its C ABI, with cffi: the same functions as regpen.native.

This is how any language with a C FFI sees regpen: every call goes through a function of regpen.h
into libregpen.so (installed inside this package by the build). The build compiles a cffi
extension in API mode, `regpen._cffi_regpen`, from the declarations of regpen.h itself
(regpen/_cffi_build.py), so the binding cannot drift from the library and a call costs about as
much as a C function call from Python. When that extension is missing, the binding opens the
library in cffi's slower ABI mode instead and says why (`MODE`, `ABI_REASON`, a RuntimeWarning);
`REGPEN_CFFI=abi` in the environment chooses ABI mode on purpose.

Parameters are checked by the C library, not here: the Python side only turns arguments into
pointers and the spec's error codes into regpen's exceptions.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from regpen._arrays import as_float_array, as_parameter
from regpen.errors import raise_for_code

__all__ = [
    "ABI_REASON",
    "MODE",
    "available_isas",
    "gradient",
    "isa",
    "l1_regularization",
    "loss",
    "prox",
    "set_isa",
    "value",
]

_HERE = Path(__file__).resolve().parent


def _open_abi(reason: str) -> tuple[Any, Any]:
    """ffi.dlopen of the installed libregpen.so with the cdef read from the installed regpen.h."""
    from cffi import FFI

    from regpen._cffi_build import declarations

    header, library = _HERE / "regpen.h", _HERE / "libregpen.so"
    if not (header.is_file() and library.is_file()):
        raise ImportError(f"{library} is not built; build it with `make python` (pip install ./python)")
    ffi = FFI()
    ffi.cdef(declarations(header))
    if os.environ.get("REGPEN_CFFI") != "abi":
        warnings.warn(f"regpen.c_abi falls back to cffi's ABI mode: {reason}", RuntimeWarning, stacklevel=3)
    return ffi, ffi.dlopen(str(library))


def _open() -> tuple[Any, Any, str, str | None]:
    """(ffi, lib, mode, why ABI mode): the compiled API-mode module when it imports."""
    if os.environ.get("REGPEN_CFFI") == "abi":
        reason = "REGPEN_CFFI=abi is set"
    else:
        try:
            from regpen._cffi_regpen import ffi, lib
        except ImportError as error:
            reason = f"the compiled module regpen._cffi_regpen does not import ({error})"
        else:
            return ffi, lib, "api", None
    return (*_open_abi(reason), "abi", reason)


ffi, lib, MODE, ABI_REASON = _open()

# Unknown kind names become 0, which the C library rejects with invalid_argument.
_KINDS = {"l1": 1, "l2": 2, "elastic_net": 3}
_PENALTY = ffi.typeof("regpen_penalty *")
_DOUBLES = ffi.typeof("double[]")


class _Format:
    """The dtype, C types and functions of one working format, looked up once."""

    def __init__(self, scalar: type, ctype: str, suffix: str) -> None:
        self.dtype = np.dtype(scalar)
        self.array = ffi.typeof(f"{ctype}[]")
        self.pointer = ffi.typeof(f"{ctype} *")
        self.value = getattr(lib, f"regpen_value_{suffix}")
        self.gradient = getattr(lib, f"regpen_gradient_{suffix}")
        self.prox = getattr(lib, f"regpen_prox_{suffix}")
        self.loss = getattr(lib, f"regpen_loss_{suffix}")
        self.l1_regularization = getattr(lib, f"regpen_l1_regularization_{suffix}")


_F64 = _Format(np.float64, "double", "f64")
_F32 = _Format(np.float32, "float", "f32")
_FORMATS = {_F64.dtype: _F64, _F32.dtype: _F32}


class _Scratch(threading.local):
    """Per-thread result slots and factored-penalty struct, reused across calls: `ffi.new` costs
    more than a short call. A result slot is a one-element array seen from C, so indexing it gives
    the numpy scalar directly. The C library never calls back into Python, so one thread never
    needs two at once."""

    def __init__(self) -> None:
        self.f64 = self._slot(_F64)
        self.f32 = self._slot(_F32)
        self.factored = ffi.new(_PENALTY)

    @staticmethod
    def _slot(fmt: _Format) -> tuple[np.ndarray, Any]:
        result = np.zeros(1, fmt.dtype)
        return result, ffi.from_buffer(fmt.array, result, True)


_SCRATCH = _Scratch()

# Structs of penalties without factors, keyed by (kind, l1, l2). They are never written after
# creation, so threads share them. Keys that compare equal convert to the same binary64 values,
# except 0.0 and -0.0, which the C library treats alike (SPEC §1 stores -0 as +0).
_PLAIN: dict[tuple[Any, Any, Any], Any] = {}
_PLAIN_LIMIT = 256


def _fail(status: int, what: str) -> None:
    """The spec's code of a failed C call, with the C library's message (parameter, value, rule)."""
    message = ffi.string(lib.regpen_last_error()).decode()
    raise_for_code(ffi.string(lib.regpen_strerror(status)).decode(), f"{what}: {message}")


def _real(value: object, name: str) -> float:
    """A parameter or step as binary64 by the reference's rule (bool and strings are
    `invalid_dtype`); a Python float is taken as it is."""
    return value if type(value) is float else as_parameter(value, name)


def _array(values: object, name: str) -> tuple[np.ndarray, _Format]:
    """The values as a native-order float32/float64 array and its format: anything else goes
    through the reference's conversion (lists, numbers, integer arrays to float64, other byte
    orders), or raises its `invalid_dtype` error."""
    array = values
    if type(array) is np.ndarray and not array.dtype.isnative and _FORMATS.get(array.dtype.newbyteorder("=")):
        array = array.astype(array.dtype.newbyteorder("="))  # another byte order is only a layout
    if type(array) is not np.ndarray or _FORMATS.get(array.dtype) is None or not array.dtype.isnative:
        array = as_float_array(values, name)
    fmt = _FORMATS.get(array.dtype)
    if fmt is None or not array.dtype.isnative:  # the reference returned something else
        raise_for_code("invalid_dtype", f"{name} must have dtype float32 or float64")
    return array, fmt


def _pointer(array: np.ndarray, fmt: _Format) -> tuple[Any, int]:
    """A pointer to the first element and the stride in elements: no copy for C-contiguous or 1-D
    strided arrays, one contiguous copy (C order) for other layouts."""
    try:
        return ffi.from_buffer(fmt.array, array), 1
    except (BufferError, ValueError, TypeError):
        pass  # not C-contiguous
    if array.ndim == 1 and array.strides[0] % array.itemsize == 0:
        # A strided view: the C ABI walks it with its stride (negative, or 0 for a broadcast).
        return ffi.cast(fmt.pointer, array.ctypes.data), array.strides[0] // array.itemsize
    return ffi.from_buffer(fmt.array, np.ascontiguousarray(array)), 1


def _operand(values: object, name: str) -> tuple[np.ndarray, _Format, Any, int]:
    """(array, format, pointer to its first element, stride in elements) for an input."""
    if type(values) is np.ndarray:
        # numpy's own float64/float32 dtypes compared by identity: quicker than hashing a dtype.
        dtype = values.dtype
        fmt = _F64 if dtype is _F64.dtype else _F32 if dtype is _F32.dtype else None
        if fmt is not None:
            try:
                return values, fmt, ffi.from_buffer(fmt.array, values), 1
            except (BufferError, ValueError, TypeError):
                pass  # not C-contiguous
    array, fmt = _array(values, name)
    return (array, fmt, *_pointer(array, fmt))


def _new_penalty(struct: Any, kind: object, l1: object, l2: object) -> Any:
    struct.kind = _KINDS.get(kind, 0)
    struct.l1 = _real(l1, "l1")
    struct.l2 = _real(l2, "l2")
    return struct


def _plain_key(penalty: Any) -> tuple[Any, Any, Any] | None:
    """The cache key of a penalty without factors whose parameters are Python floats (a bool or
    int would compare equal to a float key and slip past the type rule)."""
    l1, l2 = penalty.l1, penalty.l2
    if type(l1) is float and type(l2) is float and penalty.penalty_factor is None:
        return penalty.kind, l1, l2
    return None


def _penalty(penalty: Any) -> tuple[Any, Any]:
    """The regpen_penalty struct and the buffer of its factors, which the caller keeps alive for
    the call. Penalties without factors reuse one struct per parameter set; factored ones fill
    this thread's scratch struct, because their factors may change in place between calls."""
    factor = penalty.penalty_factor
    kind, l1, l2 = penalty.kind, penalty.l1, penalty.l2
    if factor is None:
        key = _plain_key(penalty)
        try:
            struct = None if key is None else _PLAIN.get(key)
        except TypeError:  # an unhashable kind: the C library rejects it as unknown
            key = None
        if key is None:
            return _new_penalty(ffi.new(_PENALTY), kind, l1, l2), None
        if struct is None:
            struct = _new_penalty(ffi.new(_PENALTY), kind, l1, l2)
            if len(_PLAIN) >= _PLAIN_LIMIT:
                _PLAIN.clear()
            _PLAIN[key] = struct
        return struct, None
    struct = _new_penalty(_SCRATCH.factored, kind, l1, l2)
    if type(factor) is not np.ndarray or factor.dtype.kind != "f":
        factor = as_float_array(factor, "penalty_factor")  # the reference's rules (and errors)
    factor = np.ascontiguousarray(factor, dtype=np.float64)
    # An empty factor array still means "factors given", so the pointer must not be NULL.
    keep = ffi.from_buffer(_DOUBLES, factor) if factor.size else ffi.new("double[1]")
    struct.penalty_factor = keep
    struct.factor_len = factor.size
    return struct, keep


def _inputs(penalty: Any, w: object) -> tuple[np.ndarray, _Format, Any, int, Any, Any]:
    """(array, format, pointer, stride, penalty struct, factor buffer to keep alive) for `w`. A
    penalty without factors met before takes one dictionary lookup, written out here (and in
    `value`) because at n = 8 every further Python call is a tenth of the whole call."""
    array, fmt, data, stride = _operand(w, "w")
    try:
        struct = _PLAIN[_plain_key(penalty)]
    except (KeyError, TypeError):
        struct = None
    if struct is None:
        return (array, fmt, data, stride, *_penalty(penalty))
    return array, fmt, data, stride, struct, None


def value(penalty: Any, w: object) -> np.floating:
    """The penalty of `w`: a numpy scalar of w's dtype."""
    struct = _keep = None
    if type(w) is np.ndarray:
        # The common case without helper calls, which would add a tenth each at n = 8: numpy's
        # own float64/float32 dtype (compared by identity), a C-contiguous array and a penalty
        # without factors met before. Anything else fails here and takes the general path.
        dtype = w.dtype
        fmt = _F64 if dtype is _F64.dtype else _F32 if dtype is _F32.dtype else None
        try:
            data = ffi.from_buffer(fmt.array, w)
            struct = _PLAIN[_plain_key(penalty)]
        except (AttributeError, BufferError, ValueError, TypeError, KeyError):
            struct = None
        array, stride = w, 1
    if struct is None:
        array, fmt, data, stride, struct, _keep = _inputs(penalty, w)
    result, slot = _SCRATCH.f64 if fmt is _F64 else _SCRATCH.f32
    status = fmt.value(struct, data, array.size, stride, slot)
    if status:
        _fail(status, "value")
    return result[0]


def _output(
    array: np.ndarray, fmt: _Format, data: Any, stride: int, out: np.ndarray | None
) -> tuple[np.ndarray, Any, Any, int]:
    """(result array, pointer to it, input pointer and stride): `out` when it fits, else a new
    array. An input that overlaps `out` (but is not `out`) is copied first, because the kernels
    must read every input element before its slot is written."""
    if out is None:
        result = np.empty(array.shape, fmt.dtype)
        return result, ffi.from_buffer(fmt.array, result, True), data, stride
    if isinstance(out, np.ndarray) and out.dtype == fmt.dtype and out.shape == array.shape:
        try:
            # from_buffer refuses read-only and non-C-contiguous arrays.
            target = ffi.from_buffer(fmt.array, out, True)
        except (BufferError, ValueError, TypeError):
            pass
        else:
            if out is not array and np.may_share_memory(array, out):
                data, stride = _pointer(array.copy(), fmt)
            return out, target, data, stride
    raise ValueError("out must be a writable C-contiguous array of w's shape and dtype")


def gradient(penalty: Any, w: object, out: np.ndarray | None = None) -> np.ndarray:
    """The (sub)gradient at `w`: a new array of w's shape and dtype, or `out` filled."""
    array, fmt, data, stride, struct, _keep = _inputs(penalty, w)
    result, target, data, stride = _output(array, fmt, data, stride, out)
    status = fmt.gradient(struct, data, array.size, stride, target)
    if status:
        _fail(status, "gradient")
    return result


def prox(penalty: Any, w: object, step: float, out: np.ndarray | None = None) -> np.ndarray:
    """The proximal step at `w` with step size `step`: a new array, or `out` filled."""
    array, fmt, data, stride, struct, _keep = _inputs(penalty, w)
    step_value = _real(step, "step")
    result, target, data, stride = _output(array, fmt, data, stride, out)
    status = fmt.prox(struct, data, array.size, stride, step_value, target)
    if status:
        _fail(status, "prox")
    return result


def loss(y_true: object, y_pred: object, w: object, penalty: Any) -> np.floating:
    """Mean squared error of the predictions plus `penalty.value(w)` (spec `computeLoss`)."""
    y, fy, yd, ys = _operand(y_true, "y_true")
    p, fp, pd, ps = _operand(y_pred, "y_pred")
    x, fx, xd, xs = _operand(w, "w")
    if not (fy is fp is fx):
        raise_for_code("invalid_dtype", "y_true, y_pred and w must share one dtype")
    struct, _keep = _penalty(penalty)
    # The C ABI sees flat lengths, so equal sizes with different shapes are caught here, after
    # the C library's own checks of the penalty.
    if y.shape != p.shape:
        status = lib.regpen_validate_penalty(struct)
        if status:
            _fail(status, "loss")
        raise_for_code("shape_mismatch", "y_true and y_pred have different shapes")
    result, slot = _SCRATCH.f64 if fy is _F64 else _SCRATCH.f32
    status = fy.loss(struct, yd, y.size, ys, pd, p.size, ps, xd, x.size, xs, slot)
    if status:
        _fail(status, "loss")
    return result[0]


def l1_regularization(weights: object, lambda_: float) -> np.floating:
    """The seed helper: L1(lambda_).value(weights), a numpy scalar of the weights' dtype. As in the
    reference, the penalty is built (and checked) before the weights are read."""
    struct = _new_penalty(ffi.new(_PENALTY), "l1", _real(lambda_, "lam"), 0.0)
    status = lib.regpen_validate_penalty(struct)
    if status:
        _fail(status, "l1_regularization")
    array, fmt, data, stride = _operand(weights, "weights")
    result, slot = _SCRATCH.f64 if fmt is _F64 else _SCRATCH.f32
    status = fmt.l1_regularization(data, array.size, stride, struct.l1, slot)
    if status:
        _fail(status, "l1_regularization")
    return result[0]


def set_isa(name: str) -> None:
    """Selects the kernels: "scalar", "avx2", "avx512", or "auto" (the start-up choice)."""
    status = lib.regpen_set_isa(name.encode())
    if status:
        _fail(status, f"set_isa({name!r})")


def isa() -> str:
    """The instruction set of the kernels in use."""
    return ffi.string(lib.regpen_isa()).decode()


def available_isas() -> list[str]:
    """The instruction sets this CPU can run, portable first."""
    return [n for n in ("scalar", "avx2", "avx512") if lib.regpen_isa_available(n.encode())]
