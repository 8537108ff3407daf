"""How a vector's arguments become the arrays a backend receives (schema regpen-vectors-2).

An array argument is one of:
- a list of hex bit patterns in the test's dtype (or in `arg_dtypes[name]`, for mixed dtypes);
- with `arg_dtypes[name] == "int64"` (flag integer_input), a list of decimal integer strings,
  which become an int64 array: integers are float64 input (SPEC 2.0 §E), so the test's dtype stays
  "float64" and a backend must convert them itself;
- an object {"generator", "seed", "n"} (flag generated), expanded by the spec's one generator
  implementation, oracle.generators.expand, so the harness and the oracle see the same numbers.
With `shapes[name]` (flag ndarray) the flat C-order elements are reshaped.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

import numpy as np

from harness import codec

INT64 = "int64"
# Operations whose result is one number; the others (gradient, prox) return an array shaped like w.
SCALAR_OPERATIONS = ("value", "loss", "l1_regularization")


def arg_dtype(test: dict, name: str) -> str:
    return test.get("arg_dtypes", {}).get(name, test["dtype"])


def array_arg(test: dict, name: str) -> np.ndarray:
    """The argument `name` of a test as the numpy array a backend is handed."""
    value = test["args"][name]
    dtype = arg_dtype(test, name)
    if isinstance(value, dict):
        array = generated(json.dumps(value, sort_keys=True), dtype)
    elif dtype == INT64:
        array = np.array([int(v) for v in value], dtype=np.int64)
    else:
        array = codec.decode_array(value, dtype)
    shape = test.get("shapes", {}).get(name)
    return array if shape is None else array.reshape(shape)


@functools.lru_cache(maxsize=3)  # A loss test has three arrays; 3e6 float64 are 24 MB each.
def generated(key: str, dtype: str) -> np.ndarray:
    """A generated argument, expanded once for the consecutive calls that use it.

    The key is the argument's JSON text, so the cache sees a hashable value. The result is
    read-only: backends share it, and one must not change what the next one sees.
    """
    from oracle import generators  # The spec's generators; imported only when a vector uses one.

    array = from_elements(generators.expand(json.loads(key), dtype), dtype)
    array.flags.writeable = False
    return array


def from_elements(elements: Sequence | np.ndarray, dtype: str) -> np.ndarray:
    """A generator's output as an array of `dtype`: hex bit patterns, integers (for int64), an
    array of that dtype, or numbers the dtype holds exactly (anything else is refused, not rounded)."""
    if dtype == INT64:
        return np.array([int(e) for e in elements], dtype=np.int64)
    if isinstance(elements, np.ndarray) and elements.dtype == codec.DTYPES[dtype]:
        return elements
    if len(elements) and isinstance(elements[0], str):
        return codec.decode_array(elements, dtype)
    values = np.asarray(elements, dtype=np.float64)  # Python floats are binary64: nothing rounds here.
    array = values.astype(codec.DTYPES[dtype])
    if not np.array_equal(array.astype(np.float64), values, equal_nan=True):
        raise ValueError(f"generator output is not exactly representable as {dtype}")
    return array


def result_dtype(test: dict) -> str:
    """The dtype of the result: the test's dtype (integer inputs count as float64)."""
    return test.get("dtype", "float64")


def expected_shape(test: dict) -> list[int] | None:
    """The shape an array result must have: w's, when the test gives shapes (flag ndarray)."""
    shapes = test.get("shapes")
    return None if shapes is None or "w" not in shapes else list(shapes["w"])


def plain(array: np.ndarray) -> object:
    """Integer input as Python ints (nested lists for ndarray), for the adapters of Python APIs
    that accept plain Python numbers; float arrays stay numpy arrays."""
    return array.tolist() if array.dtype.kind in "iu" else array
