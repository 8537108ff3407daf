"""Schema regpen-vectors-2 inputs: integer elements, shapes, generated arguments, l1_regularization,
and capabilities that declare every new feature as data with a reason."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from harness import codec, inputs, worker
from harness.backend import FEATURES, OPERATIONS, Backend, Capabilities
from harness.compare import FAIL, PASS, judge


def h64(x: float) -> str:
    return codec.encode_scalar(x, "float64")


def test_integer_elements_become_exact_int64():
    test = {
        "dtype": "float64",
        "arg_dtypes": {"w": "int64"},
        "args": {"w": ["3", "-9007199254740993", "0"]},
    }
    w = inputs.array_arg(test, "w")
    assert w.dtype == np.int64
    assert w.tolist() == [3, -9007199254740993, 0]  # 2^53 + 1 survives: no float on the way.
    assert inputs.plain(w) == [3, -9007199254740993, 0]
    assert all(type(v) is int for v in inputs.plain(w))


def test_shapes_reshape_the_flat_c_order_elements():
    flat = [h64(float(i)) for i in range(6)]
    test = {"dtype": "float64", "shapes": {"w": [2, 3]}, "args": {"w": flat}}
    w = inputs.array_arg(test, "w")
    assert w.shape == (2, 3)
    assert w[1, 0] == 3.0  # Row-major.
    zero_d = inputs.array_arg({"dtype": "float32", "shapes": {"w": []}, "args": {"w": ["0x3f800000"]}}, "w")
    assert zero_d.shape == ()
    assert zero_d.dtype == np.float32


class _Generators(types.ModuleType):
    """Stands in for oracle.generators (the spec's module) with the agreed entry point."""

    def __init__(self, output):
        super().__init__("oracle.generators")
        self.output, self.calls = output, []

    def expand(self, arg, dtype):
        self.calls.append((arg, dtype))
        return self.output(arg)


@pytest.fixture
def fake_generators(monkeypatch):
    def install(output):
        module = _Generators(output)
        monkeypatch.setitem(sys.modules, "oracle.generators", module)
        import oracle

        monkeypatch.setattr(oracle, "generators", module, raising=False)
        inputs.generated.cache_clear()
        return module

    yield install
    inputs.generated.cache_clear()


def test_generated_arguments_are_expanded_once_and_shared_read_only(fake_generators):
    module = fake_generators(lambda arg: [float(i) / 4 for i in range(arg["n"])])
    arg = {"generator": "quarters", "seed": 7, "n": 5}
    test = {"dtype": "float32", "flags": ["generated"], "args": {"w": arg}}
    w = inputs.array_arg(test, "w")
    assert w.dtype == np.float32
    assert w.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert not w.flags.writeable
    inputs.array_arg(test, "w")
    assert module.calls == [(arg, "float32")]  # The second backend in the worker reuses it.


def test_generated_hex_output_and_inexact_numbers(fake_generators):
    fake_generators(lambda arg: [h64(0.1), h64(-2.0)])
    w = inputs.array_arg({"dtype": "float64", "args": {"w": {"generator": "g", "seed": 1, "n": 2}}}, "w")
    assert w.tolist() == [0.1, -2.0]
    fake_generators(lambda arg: [0.1])  # 0.1 in binary64 is not a float32: refuse, never round.
    with pytest.raises(ValueError, match="not exactly representable as float32"):
        inputs.array_arg({"dtype": "float32", "args": {"w": {"generator": "g", "seed": 1, "n": 1}}}, "w")


class _Numpy(Backend):
    """A tiny numpy backend: L1 value, a gradient that keeps w's shape, the seed helper."""

    name = "numpy-test"
    capabilities = Capabilities(features=FEATURES)

    def value(self, penalty, w):
        return np.float64(penalty.params["lam"] * np.abs(np.asarray(w, np.float64)).sum())

    def gradient(self, penalty, w):
        return np.sign(w) * penalty.params["lam"]

    def l1_regularization(self, w, lambda_):
        return np.abs(w).sum(dtype=w.dtype) * w.dtype.type(lambda_)


def test_worker_runs_l1_regularization_in_the_dtype_of_w():
    test = {
        "operation": "l1_regularization",
        "dtype": "float32",
        "args": {"w": ["0x3f800000", "0xc0000000"], "lambda": h64(0.5)},
        "expected": codec.encode_scalar(1.5, "float32"),
    }
    outcome = worker.execute(_Numpy(), test)
    assert outcome == {"kind": "scalar", "bits": "0x3fc00000"}
    assert judge(test, outcome).status == PASS


def test_worker_takes_integer_input_as_float64_test():
    test = {
        "operation": "value",
        "dtype": "float64",
        "flags": ["integer_input"],
        "arg_dtypes": {"w": "int64"},
        "penalty": {"type": "l1", "lam": h64(1.0)},
        "args": {"w": ["-3", "4"]},
        "expected": h64(7.0),
    }
    assert judge(test, worker.execute(_Numpy(), test)).status == PASS


def test_array_results_carry_their_shape_and_a_wrong_shape_fails():
    flat = [h64(v) for v in (1.0, -2.0, 0.0, 4.0)]
    test = {
        "operation": "gradient",
        "dtype": "float64",
        "flags": ["ndarray"],
        "shapes": {"w": [2, 2]},
        "penalty": {"type": "l1", "lam": h64(1.0)},
        "args": {"w": flat},
        "expected": [h64(v) for v in (1.0, -1.0, 0.0, 1.0)],
    }
    outcome = worker.execute(_Numpy(), test)
    assert outcome["shape"] == [2, 2]
    assert judge(test, outcome).status == PASS
    flattened = {**outcome, "shape": [4]}
    verdict = judge(test, flattened)
    assert verdict.status == FAIL
    assert "shape (4,)" in verdict.reason
    # A 0-d w gives a 0-d gradient, which is still an array result.
    zero_d = {**test, "shapes": {"w": []}, "args": {"w": [h64(-2.0)]}, "expected": [h64(-1.0)]}
    outcome = worker.execute(_Numpy(), zero_d)
    assert outcome == {"kind": "array", "bits": [h64(-1.0)], "shape": []}
    assert judge(zero_d, outcome).status == PASS


def test_every_registered_backend_declares_every_operation_and_feature():
    """Each operation and input feature is either supported or a gap with its own reason, so a
    new feature can never be skipped by a default message nobody wrote."""
    from harness.backends import all_backends

    for backend in all_backends():
        caps = backend.capabilities
        for name in OPERATIONS:
            assert name in caps.operations or name in caps.gaps, (backend.name, name)
        for name in FEATURES:
            assert name in caps.features or name in caps.gaps, (backend.name, name)
        for name in ("float64", "float32"):
            assert name in caps.dtypes or name in caps.gaps, (backend.name, name)


def test_typed_array_languages_declare_integers_and_shapes_as_gaps():
    from harness.backends import all_backends

    by_name = {b.name: b for b in all_backends()}
    for name in ("java", "scala"):
        caps = by_name[name].capabilities
        for feature in ("integer_input", "ndarray"):
            reason = caps.gap("float64", "value", [feature], "l1")
            assert reason and reason == caps.gaps[feature]
        assert caps.gap("float64", "l1_regularization", ["generated"]) is None


def test_the_spec_generators_expand_through_the_harness():
    """The real oracle.generators, as the harness calls it: the argument's dtype, exact bits."""
    from oracle import generators

    inputs.generated.cache_clear()
    arg = {"generator": "unit", "seed": 3, "n": 17}
    for dtype in ("float64", "float32"):
        w = inputs.array_arg({"dtype": dtype, "flags": ["generated"], "args": {"w": arg}}, "w")
        assert w.dtype == np.dtype(dtype)
        assert w.tobytes() == generators.expand(arg, dtype).tobytes()
