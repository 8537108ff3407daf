"""The native backend through both bindings (pybind11 `regpen.native`, cffi `regpen.c_abi`) on every
ISA this CPU has: scalar results against the exact oracle (spec 2.0: the exact value rounded
once, NaN bits included), elementwise results against the reference, inputs converted by the
reference's own rules (integers, bool, strings, float16, byte order, broadcast and
multi-dimensional arrays), and the spec's errors raised from the C library's own checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import regpen
from oracle import spec
from oracle.ieee import FORMATS

native = pytest.importorskip("regpen.native", reason="build the extension with `make python`")
c_abi = pytest.importorskip("regpen.c_abi", reason="build libregpen.so with `make python`")

BINDINGS = {"pybind": native, "cffi": c_abi}
CASES = [(b, isa) for b in BINDINGS for isa in native.available_isas()]


@pytest.fixture(params=CASES, ids=[f"{b}-{isa}" for b, isa in CASES])
def backend(request):
    """A binding module with its ISA forced for the test."""
    binding, isa = request.param
    module = BINDINGS[binding]
    module.set_isa(isa)
    yield module
    module.set_isa("auto")


@dataclass(frozen=True)
class Raw:
    """A penalty record that nothing in Python validates, so every check is the C library's."""

    kind: str
    l1: float
    l2: float
    penalty_factor: np.ndarray | None = None


def same_bits(a: object, b: object) -> bool:
    """Spec 2.0 B: every bit, NaN included."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    unsigned = np.uint64 if a.dtype == np.float64 else np.uint32
    return bool(np.all(a.view(unsigned) == b.view(unsigned)))


def oracle_penalty(p: regpen.Penalty) -> spec.Penalty:
    factor = None if p.penalty_factor is None else p.penalty_factor.tolist()
    params = {"l1": {"lam": p.l1}, "l2": {"lam": p.l2}, "elastic_net": {"l1": p.l1, "l2": p.l2}}[p.kind]
    return spec.make_penalty(p.kind, params, factor)


def exact_value(p: regpen.Penalty, w: np.ndarray) -> np.floating:
    """The oracle's value over all elements of w in C order, in w's dtype."""
    w = np.asarray(w)
    return w.dtype.type(spec.value(oracle_penalty(p), w.ravel().tolist(), FORMATS[w.dtype.name]))


def exact_loss(y: np.ndarray, q: np.ndarray, w: np.ndarray, p: regpen.Penalty) -> np.floating:
    fmt = FORMATS[y.dtype.name]
    return y.dtype.type(
        spec.loss(oracle_penalty(p), y.ravel().tolist(), q.ravel().tolist(), w.ravel().tolist(), fmt)
    )


strength = st.floats(min_value=0, max_value=1e6, allow_nan=False)
penalties = st.one_of(
    st.builds(regpen.L1, strength),
    st.builds(regpen.L2, strength),
    st.builds(regpen.ElasticNet, strength, strength),
)
weights = st.one_of(
    hnp.arrays(np.float64, st.integers(0, 80), elements=st.floats(allow_nan=False, width=64)),
    hnp.arrays(np.float32, st.integers(0, 80), elements=st.floats(allow_nan=False, width=32)),
)


@pytest.mark.parametrize("isa", native.available_isas())
@settings(max_examples=150, deadline=None)
@given(penalty=penalties, w=weights)
def test_value_matches_the_oracle(isa: str, penalty: regpen.Penalty, w: np.ndarray) -> None:
    fmt = FORMATS[w.dtype.name]
    expected = np.array([spec.value(oracle_penalty(penalty), w.tolist(), fmt)], dtype=w.dtype)
    for module in BINDINGS.values():
        module.set_isa(isa)
        assert same_bits(np.array([module.value(penalty, w)]), expected)
        module.set_isa("auto")


@st.composite
def factored_cases(draw: st.DrawFn) -> tuple[regpen.Penalty, np.ndarray]:
    """Penalties with factors (zero, ordinary, huge) and weights with NaN, infinities, subnormals."""
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    n = draw(st.integers(0, 70))
    w = draw(hnp.arrays(dtype, n, elements=st.floats(width=64 if dtype is np.float64 else 32)))
    factor = draw(
        hnp.arrays(np.float64, n, elements=st.one_of(st.just(0.0), st.floats(0, 1e300), st.floats(0, 4)))
    )
    kind = draw(st.sampled_from(["l1", "l2", "elastic_net"]))
    a, b = draw(strength), draw(strength)
    penalty = {
        "l1": lambda: regpen.L1(a, penalty_factor=factor),
        "l2": lambda: regpen.L2(a, penalty_factor=factor),
        "elastic_net": lambda: regpen.ElasticNet(a, b, penalty_factor=factor),
    }[kind]()
    return penalty, w


@settings(max_examples=200, deadline=None)
@given(case=factored_cases())
def test_factors_and_special_values_match_the_oracle(case: tuple[regpen.Penalty, np.ndarray]) -> None:
    penalty, w = case
    fmt = FORMATS[w.dtype.name]
    exact = oracle_penalty(penalty)
    expected = np.array([spec.value(exact, w.tolist(), fmt)], dtype=w.dtype)
    expected_gradient = np.array(spec.gradient(exact, w.tolist(), fmt), dtype=w.dtype)
    for isa in native.available_isas():
        for module in BINDINGS.values():
            module.set_isa(isa)
            assert same_bits(np.array([module.value(penalty, w)]), expected)
            assert same_bits(module.gradient(penalty, w), expected_gradient)
            module.set_isa("auto")


def test_environment_caps_the_isa() -> None:
    code = "from regpen import native, c_abi; print(native.isa(), c_abi.isa())"
    env = {**os.environ, "REGPEN_ISA": "scalar"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["scalar", "scalar"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 1000, 100_003])
def test_matches_the_oracle_and_reference_on_large_arrays(backend, dtype: type, n: int) -> None:
    rng = np.random.default_rng(n)
    w = (rng.standard_normal(n) * np.exp2(rng.integers(-20, 20, n))).astype(dtype)
    y = rng.standard_normal(n).astype(dtype)
    factor = rng.uniform(0, 2, n)
    for penalty in (
        regpen.L1(0.1),
        regpen.L2(0.3),
        regpen.ElasticNet(0.01, 0.02),
        regpen.ElasticNet(0.5, 0.25, penalty_factor=factor),
    ):
        assert same_bits(backend.value(penalty, w), exact_value(penalty, w))
        assert same_bits(backend.gradient(penalty, w), penalty.gradient(w))
        assert same_bits(backend.prox(penalty, w, 0.7), penalty.prox(w, 0.7))
        assert same_bits(backend.loss(y, w, w, penalty), exact_loss(y, w, w, penalty))


def test_layouts_are_used_in_place_or_copied_correctly(backend) -> None:
    rng = np.random.default_rng(5)
    base = rng.standard_normal((40, 30))
    penalty = regpen.ElasticNet(0.3, 0.2)
    for w in (
        base,
        base.T,
        base[:, 3],
        base[::-1, 2],
        base[::3],
        base.astype(np.float32)[:, ::-2],
        base[5, 5],
        np.broadcast_to(1.5, (10,)),
        np.broadcast_to(base[0], (4, 30)),
        base.reshape(4, 10, 30)[:, ::2, 1:],
    ):
        assert same_bits(backend.value(penalty, w), exact_value(penalty, w))
        got = backend.gradient(penalty, w)
        assert got.shape == np.shape(w)
        assert same_bits(got, penalty.gradient(w))
        assert same_bits(backend.prox(penalty, w, 0.5), penalty.prox(w, 0.5))
    # Another byte order and read-only memory are layouts too (spec 2.0 E).
    swapped = base.ravel().astype(">f8")
    assert same_bits(backend.value(penalty, swapped), exact_value(penalty, base))
    assert same_bits(backend.gradient(penalty, swapped[::-3]), penalty.gradient(base.ravel()[::-3]))
    frozen = base.astype(np.float32)
    frozen.setflags(write=False)
    assert same_bits(backend.value(penalty, frozen), exact_value(penalty, frozen))
    # Factors apply in C order to multi-dimensional w, whatever its memory order (spec 2.0 F).
    factor = np.linspace(0, 2, base.size)
    factored = regpen.ElasticNet(0.3, 0.2, penalty_factor=factor)
    fortran = np.asfortranarray(base)
    assert same_bits(backend.value(factored, fortran), exact_value(factored, base))
    assert same_bits(backend.gradient(factored, fortran), factored.gradient(base))
    with pytest.raises(regpen.ShapeMismatchError):
        backend.value(factored, base[:, :29])


def test_sequences_follow_the_reference_dtype_rules(backend) -> None:
    penalty = regpen.L1(0.01)
    assert same_bits(backend.value(penalty, [0.5, -0.3, 0.0, 1.2]), np.float64(0.02))
    for bad in (
        np.array([True, False]),
        ["a"],
        [0.5, "a"],
        np.zeros(3, np.float16),
        None,
        np.zeros(2, complex),
    ):
        with pytest.raises(regpen.InvalidDtypeError):
            backend.value(penalty, bad)
        with pytest.raises(regpen.InvalidDtypeError):
            backend.gradient(penalty, bad)
    with pytest.raises(regpen.InvalidDtypeError):
        backend.loss(np.ones(2), np.ones(2, np.float32), np.ones(1), penalty)


# Inputs the reference's coercion (regpen._arrays) either converts to float64 (integers: spec 2.0
# E) or rejects; each binding must do exactly what it does, so the two can never disagree.
COERCED = [
    np.arange(5),
    np.array([3, -(2**62) - 1], dtype=np.int64),
    np.array([7, 2**64 - 1], dtype=np.uint64),
    [1, 2**53 + 1, -3],
    [[1.5, 2], [3, 4.25]],
    np.array([1.0, 2.0], dtype=object),
    np.array([True]),
    [True, 1.0],
    ["0.5"],
    np.zeros(2, np.float16),
    np.zeros(2, np.longdouble),
    None,
    3,
    np.float32(2.5),
]


@pytest.mark.parametrize("values", COERCED, ids=range(len(COERCED)))
def test_inputs_are_converted_exactly_as_the_reference_does(backend, values: object) -> None:
    from regpen._arrays import as_float_array

    penalty = regpen.ElasticNet(0.25, 0.5)
    try:
        converted = as_float_array(values, "w")
    except regpen.RegpenError as error:
        with pytest.raises(type(error)):
            backend.value(penalty, values)
        with pytest.raises(type(error)):
            backend.prox(penalty, values, 0.5)
        with pytest.raises(type(error)):
            backend.loss(values, values, [1.0], penalty)
        return
    assert same_bits(backend.value(penalty, values), exact_value(penalty, converted))
    assert same_bits(backend.gradient(penalty, values), penalty.gradient(converted))
    assert same_bits(
        backend.loss(values, np.zeros_like(converted), np.zeros(0, converted.dtype), penalty),
        exact_loss(converted, np.zeros_like(converted), np.zeros(0, converted.dtype), penalty),
    )


def test_loss_of_multidimensional_targets(backend) -> None:
    rng = np.random.default_rng(4)
    y, q = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    penalty = regpen.L2(0.5)
    w = rng.standard_normal((2, 2))
    assert same_bits(backend.loss(y, q, w, penalty), exact_loss(y, q, w, penalty))
    assert same_bits(backend.loss(y.T, q.T, w, penalty), exact_loss(y.T.copy(), q.T.copy(), w, penalty))
    with pytest.raises(regpen.ShapeMismatchError):
        backend.loss(y, q.reshape(5, 3), w, penalty)


def test_parameters_and_steps_are_numbers_not_bools(backend) -> None:
    w = np.ones(3)
    for bad in (True, np.True_, "0.5", None, np.array(0.5), 1j):
        with pytest.raises(regpen.InvalidDtypeError):
            backend.prox(regpen.L1(0.1), w, bad)
        with pytest.raises(regpen.InvalidDtypeError):
            backend.value(Raw("l1", bad, 0.0), w)
        with pytest.raises(regpen.InvalidDtypeError):
            backend.l1_regularization(w, bad)
    # Integers are numbers: an int step and an int lambda are read as float64.
    assert same_bits(backend.prox(regpen.L1(0.1), w, 1), regpen.L1(0.1).prox(w, 1.0))
    assert same_bits(backend.value(Raw("l2", 0.0, 3), w), np.float64(9.0))
    # A factor list of strings is the reference's dtype error, not an internal pybind11 error.
    with pytest.raises(regpen.InvalidDtypeError):
        backend.value(Raw("l1", 0.1, 0.0, ["a", "b", "c"]), w)
    assert same_bits(backend.value(Raw("l1", 0.5, 0.0, [1, 2, 3]), w), np.float64(3.0))


def test_spec_2_examples_round_once(backend) -> None:
    # Spec 2.0 A: the exact value rounded once; each of these was inf or NaN under spec 1.0.
    assert backend.value(regpen.L2(1e-100), [1e155]) == exact_value(regpen.L2(1e-100), np.array([1e155]))
    assert np.isfinite(backend.value(regpen.L2(1e-100), [1e155]))
    assert backend.value(regpen.ElasticNet(1, 0), [1e200]) == 1e200
    assert backend.loss([1e154] * 4, [0.0] * 4, [], regpen.L1(0.1)) == 1e154 * 1e154
    nan = np.float64(np.nan).view(np.uint64)
    assert backend.value(regpen.ElasticNet(1, 0), [np.inf]).view(np.uint64) == nan
    assert backend.value(regpen.L1(0), [np.inf]).view(np.uint64) == nan
    assert backend.value(regpen.L1(1), [np.inf]) == np.inf
    # The seed helper: float32 in, float32 out, the exact value rounded once.
    w32 = np.array([0.5, -0.3, 0.0, 1.2], dtype=np.float32)
    got = backend.l1_regularization(w32, 0.01)
    assert got.dtype == np.float32
    assert same_bits(got, exact_value(regpen.L1(0.01), w32))
    with pytest.raises(regpen.InvalidLambdaError):
        backend.l1_regularization(w32, -1.0)


def test_every_output_nan_is_canonical(backend) -> None:
    # Input NaNs of any sign and payload, and x86's 0xfff8... of 0 * inf, come out as the
    # positive quiet NaN (spec 2.0 B) from every operation, ISA and dtype.
    w64 = np.array([1.0, 0.0, -2.0, np.inf] * 5 + [0.5] * 30)
    w64[[1, 7, 30]] = np.array([0xFFF4000000000123, 0xFFF8000000000000, 0x7FF0000000000001], np.uint64).view(
        np.float64
    )
    with np.errstate(invalid="ignore"):  # numpy warns when it narrows a NaN
        w32 = w64.astype(np.float32)
    for w, canonical in ((w64, np.uint64(0x7FF8000000000000)), (w32, np.uint32(0x7FC00000))):
        unsigned = np.uint64 if w.dtype == np.float64 else np.uint32
        for penalty in (regpen.L1(0.5), regpen.L2(0.5), regpen.ElasticNet(0.5, 0.0)):
            for out in (backend.gradient(penalty, w), backend.prox(penalty, w, 0.5)):
                bits = out.view(unsigned)[np.isnan(out)]
                assert bits.size >= 3 and np.all(bits == canonical)
            assert backend.value(penalty, w).view(unsigned) == canonical
            assert backend.loss(w, w, w, penalty).view(unsigned) == canonical
    # prox with step 0 and a binary32 lambda of +inf: 0 * inf for every element.
    out = backend.prox(regpen.L1(1e39), np.ones(50, np.float32), 0.0)
    assert np.all(out.view(np.uint32) == 0x7FC00000)


def test_errors_come_from_the_c_library(backend) -> None:
    w = np.ones(3)
    # The C library's message names the parameter, the value and the rule (issue 12).
    with pytest.raises(regpen.InvalidLambdaError, match=r"lam must be finite and >= 0, got -5"):
        backend.value(Raw("l1", -5.0, 0.0), w)
    with pytest.raises(
        regpen.InvalidPenaltyFactorError, match=r"penalty_factor\[1\] must be finite and >= 0, got -1"
    ):
        backend.value(Raw("l2", 0.0, 0.1, np.array([1.0, -1.0, 1.0])), w)
    with pytest.raises(regpen.ShapeMismatchError, match="penalty_factor has 2 entries for 3 weights"):
        backend.gradient(Raw("l2", 0.0, 0.1, np.array([1.0, 1.0])), w)
    with pytest.raises(regpen.InvalidStepError, match="step must be finite and >= 0, got -1"):
        backend.prox(Raw("l1", 0.1, 0.0), w, -1.0)
    cases = [
        (Raw("l1", -1.0, 0.0), regpen.InvalidLambdaError),
        (Raw("elastic_net", 0.1, float("nan")), regpen.InvalidLambdaError),
        (Raw("l2", 0.0, 0.1, np.array([1.0, -1.0, 1.0])), regpen.InvalidPenaltyFactorError),
        (Raw("l2", 0.0, 0.1, np.array([1.0, 1.0])), regpen.ShapeMismatchError),
        (Raw("l2", 0.0, 0.1, np.array([])), regpen.ShapeMismatchError),
        (Raw("huber", 0.1, 0.1), regpen.InvalidArgumentError),
    ]
    for penalty, error in cases:
        with pytest.raises(error):
            backend.value(penalty, w)
    with pytest.raises(regpen.InvalidStepError):
        backend.prox(Raw("l1", 0.1, 0.0), w, -1.0)
    with pytest.raises(regpen.InvalidLambdaError):  # parameters are checked before the step
        backend.prox(Raw("l1", float("inf"), 0.0), w, -1.0)
    with pytest.raises(regpen.ShapeMismatchError):
        backend.loss(np.ones(3), np.ones(2), w, Raw("l1", 0.1, 0.0))
    with pytest.raises(regpen.ShapeMismatchError):  # same size, different shapes
        backend.loss(np.ones((2, 3)), np.ones((3, 2)), w, Raw("l1", 0.1, 0.0))
    with pytest.raises(regpen.EmptyInputError):
        backend.loss(np.ones(0), np.ones(0), w, Raw("l1", 0.1, 0.0))
    # A negative zero parameter is stored as +0: the value of w = [inf] is then NaN, not an error.
    assert same_bits(backend.value(Raw("l1", -0.0, 0.0), np.array([np.inf])), np.float64(np.nan))
    # A zero-stride (broadcast) array is ordinary input for both bindings (issue 12).
    assert backend.value(regpen.L1(0.1), np.broadcast_to(1.5, (10,))) == exact_value(
        regpen.L1(0.1), np.full(10, 1.5)
    )


def test_isa_selection(backend) -> None:
    assert backend.isa() in backend.available_isas()
    assert backend.available_isas()[0] == "scalar"
    with pytest.raises(regpen.InvalidArgumentError):
        backend.set_isa("sse9")


def test_threads_share_the_library_safely() -> None:
    # Large inputs release the GIL; concurrent calls must give the single-threaded answer.
    w = np.random.default_rng(3).standard_normal(300_000)
    penalty = regpen.ElasticNet(0.2, 0.1)
    expected = exact_value(penalty, w)
    results: list[np.floating] = []

    def work() -> None:
        for _ in range(5):
            results.append(native.value(penalty, w))
            results.append(c_abi.value(penalty, w))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    assert all(same_bits(r, expected) for r in results)


def test_bench_probes() -> None:
    from regpen import _native

    w = np.random.default_rng(1).standard_normal(10_001)
    exact = regpen.L1(1.0).value(w)
    assert abs(_native._bench_plain_abs_sum(w) - exact) <= 1e-9 * exact
    assert abs(_native._bench_plain_square_sum(w) - regpen.L2(1.0).value(w)) <= 1e-9 * exact
    assert _native._bench_read_probe(w) == float(int(w.view(np.uint64).sum(dtype=np.uint64)))
    out = np.empty_like(w)
    _native._bench_copy_probe(w, out)
    assert same_bits(out, w)
    # Spec 1.0's scalar results, the baseline of the speed floor: lam * RN(S), two roundings.
    assert _native._bench_spec1_value(regpen.L1(0.1), w) == 0.1 * exact_value(regpen.L1(1.0), w)
    y = np.random.default_rng(2).standard_normal(10_001)
    spec1 = _native._bench_spec1_loss(y, w, w, regpen.L1(0.1))
    assert abs(spec1 - exact_loss(y, w, w, regpen.L1(0.1))) <= 1e-12 * spec1


def test_out_arrays_are_filled_in_place(backend) -> None:
    rng = np.random.default_rng(8)
    penalty = regpen.ElasticNet(0.3, 0.2)
    w = rng.standard_normal(1000)
    out = np.empty_like(w)
    assert backend.gradient(penalty, w, out=out) is out
    assert same_bits(out, penalty.gradient(w))
    assert backend.prox(penalty, w, 0.5, out=out) is out
    assert same_bits(out, penalty.prox(w, 0.5))
    # In place (out is w) and overlapping views give the answer of a fresh output.
    expected = penalty.prox(w, 0.5)
    same = w.copy()
    backend.prox(penalty, same, 0.5, out=same)
    assert same_bits(same, expected)
    buffer = np.concatenate([w, w])
    strided = buffer[::2]
    expected = penalty.prox(strided, 0.5)
    backend.prox(penalty, strided, 0.5, out=buffer[: strided.size])
    assert same_bits(buffer[: strided.size], expected)
    for bad in (np.empty(999), np.empty(1000, np.float32), np.empty((1000, 2))[:, 0]):
        with pytest.raises(ValueError):
            backend.gradient(penalty, w, out=bad)


def test_cffi_binding_is_compiled_and_calls_libregpen() -> None:
    # This build compiles the API-mode module; ABI mode is only the fallback for a missing build.
    from regpen import _cffi_regpen

    assert (c_abi.MODE, c_abi.ABI_REASON) == ("api", None)
    assert c_abi.ffi is _cffi_regpen.ffi
    assert c_abi.lib is _cffi_regpen.lib
    # The calls go through the C ABI of libregpen.so (the module links it), not the pybind module.
    from regpen import _native

    assert c_abi.ffi.string(c_abi.lib.regpen_version()).decode() == _native.version()
    if sys.platform == "linux":
        library = os.path.join(os.path.dirname(c_abi.__file__), "libregpen.so")
        with open("/proc/self/maps") as maps:
            mapped = {line.split()[-1] for line in maps if len(line.split()) >= 6}
        assert os.path.realpath(library) in {os.path.realpath(path) for path in mapped}


FALLBACK_PROBE = """
import json, sys, warnings
import numpy as np
if sys.argv[1] == "missing":
    sys.modules["regpen._cffi_regpen"] = None  # the compiled module cannot be imported
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from regpen import c_abi
import regpen
w = np.linspace(-2, 3, 11)
p = regpen.ElasticNet(0.3, 0.2, penalty_factor=np.linspace(0, 2, 11))
bits = [
    np.array([c_abi.value(p, w)]).view(np.uint64).tolist(),
    c_abi.gradient(p, w).view(np.uint64).tolist(),
    c_abi.prox(regpen.L1(0.5), w.astype(np.float32), 0.5).view(np.uint32).tolist(),
]
try:
    c_abi.value(regpen.L1(0.1), np.ones(3, bool))
except regpen.InvalidDtypeError:
    bits.append("invalid_dtype")
print(json.dumps({"mode": c_abi.MODE, "reason": c_abi.ABI_REASON, "bits": bits,
                  "warnings": [str(w.message) for w in caught if w.category is RuntimeWarning]}))
"""


@pytest.mark.parametrize("how", ["missing", "REGPEN_CFFI=abi"])
def test_abi_mode_fallback_gives_the_same_bits(how: str) -> None:
    def run(argument: str, env: dict[str, str]) -> dict:
        result = subprocess.run(
            [sys.executable, "-c", FALLBACK_PROBE, argument],
            env={**{k: v for k, v in os.environ.items() if k != "REGPEN_CFFI"}, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout)

    api = run("", {})
    abi = run("missing", {}) if how == "missing" else run("", {"REGPEN_CFFI": "abi"})
    assert api["mode"] == "api" and api["warnings"] == []
    assert abi["mode"] == "abi"
    if how == "missing":
        # An unplanned fallback says why, both in ABI_REASON and in a warning.
        assert "regpen._cffi_regpen" in abi["reason"]
        assert any(abi["reason"] in message for message in abi["warnings"])
    else:
        assert "REGPEN_CFFI" in abi["reason"] and abi["warnings"] == []
    assert abi["bits"] == api["bits"]
    assert api["bits"][-1] == "invalid_dtype"


class Mutable:
    """A penalty record whose parameters change between calls."""

    def __init__(self, kind: str, l1: object, l2: object) -> None:
        self.kind, self.l1, self.l2, self.penalty_factor = kind, l1, l2, None


def test_cached_penalty_structs_follow_the_penalty(backend) -> None:
    w = np.linspace(-1, 1, 8)
    p = Mutable("l1", 0.5, 0.0)
    assert same_bits(backend.value(p, w), exact_value(regpen.L1(0.5), w))
    p.l1 = 0.25
    assert same_bits(backend.value(p, w), exact_value(regpen.L1(0.25), w))
    p.kind, p.l2 = "elastic_net", 0.125
    assert same_bits(backend.value(p, w), exact_value(regpen.ElasticNet(0.25, 0.125), w))
    assert same_bits(backend.gradient(p, w), regpen.ElasticNet(0.25, 0.125).gradient(w))
    p.l1 = -1.0
    with pytest.raises(regpen.InvalidLambdaError):
        backend.value(p, w)
    p.l1, p.kind = 0.25, "huber"
    with pytest.raises(regpen.InvalidArgumentError):
        backend.value(p, w)
    # Parameters that are not Python floats are read by the reference's rule: real numbers
    # convert; a bool (equal to 1.0 as a cache key) and an array do not.
    for lam in (np.float32(0.5), 1):
        assert same_bits(backend.value(Mutable("l2", 0.0, lam), w), exact_value(regpen.L2(float(lam)), w))
    backend.value(Mutable("l2", 0.0, 1.0), w)
    for lam in (True, np.array(0.5)):
        with pytest.raises(regpen.InvalidDtypeError):
            backend.value(Mutable("l2", 0.0, lam), w)
    # Many distinct penalties do not grow the struct cache without bound.
    for i in range(1000):
        backend.value(Mutable("l1", i / 7, 0.0), w)
    if backend is c_abi:
        assert len(c_abi._PLAIN) <= c_abi._PLAIN_LIMIT
