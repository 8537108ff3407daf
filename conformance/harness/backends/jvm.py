"""Adapters for the Java and Scala backends (jvm/): `java` and `scala` call the regpen libraries,
`java-seed` and `scala-seed` the seed document's snippets as written (teaching backends).

All four run in the one shared JVM (worker "jvm"); arrays cross as typed Java arrays through the
shared helpers in _jvm.py (with their NIO fast path for long arrays).

A RegpenException (Java) or RegpenError (Scala) becomes the SpecError with the same spec code.
`time_kernel` times the operation inside the JVM (org.regpen.KernelTimer, regpen.KernelTimer), so
benchmarks compare kernels without the transfer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from regpen_names import BY_CLASS_NAME, CONVENTIONS, CONVERTER_FUNCTIONS, PENALTIES, camel

from harness.backend import OPERATIONS, Backend, Capabilities, PenaltySpec, SpecError, seed_capabilities
from harness.backends import _jvm

# `make jvm-build` writes build/jvm-classpath/jvm.txt.
_CLASSPATH = "jvm"
_STATIC_TYPES = (
    "a call with arrays of two dtypes does not compile: the API takes double[] or float[] throughout"
)
# SPEC 2.0 §E/§F: typed arrays cannot express these inputs, so they are gaps, not failures.
_TYPED_ARRAY_GAPS = {
    "integer_input": "double[] and float[] cannot hold integers: the typed API has no integer input",
    "ndarray": "Java arrays are one-dimensional: the API takes a flat double[] or float[]",
}


class _JvmBackend(Backend):
    """What the Java and Scala adapters share: arrays, error mapping and the operation flow. The
    subclasses say how to build a penalty and read one back in their language's API."""

    language = ""
    worker = "jvm"
    capabilities = Capabilities(
        dtypes=("float64", "float32"),
        operations=OPERATIONS,
        features=("penalty_factor", "generated"),
        gaps={"mixed_dtype": _STATIC_TYPES, **_TYPED_ARRAY_GAPS},
    )
    error_class = ""  # the language's exception carrying the spec code
    timer_class = ""
    helper_class = ""  # the class with the seed's static l1Regularization, correctly rounded

    def unavailable(self) -> str | None:
        return _jvm.unavailable(_CLASSPATH)

    def setup(self) -> None:
        self.jpype = _jvm.jpype_started()
        self.error = self.jpype.JClass(self.error_class)
        self.timer = self._object(self.timer_class)

    def _object(self, name: str) -> Any:
        return self.jpype.JClass(name)

    def _call(self, function: Any, *args: Any) -> Any:
        try:
            return function(*args)
        except self.error as e:
            raise SpecError(self._code(e), str(e.getMessage())) from None

    def _code(self, error: Any) -> str:
        raise NotImplementedError

    def _penalty(self, spec: PenaltySpec) -> Any:
        raise NotImplementedError

    def _spec(self, penalty: Any) -> PenaltySpec:
        raise NotImplementedError

    def _factor_spec(self, penalty: Any, factors: Any) -> PenaltySpec:
        """A penalty read back through its class name and parameter accessors (`lam()`, `l1()`)."""
        kind = BY_CLASS_NAME[str(penalty.getClass().getSimpleName())].type
        params = {key: float(getattr(penalty, key)()) for key in PENALTIES[kind].params}
        if factors is None:
            return PenaltySpec(kind, params)
        return PenaltySpec(kind, params, np.array(factors.toArray(), dtype=np.float64))

    def _on_array(self, method: str, penalty: PenaltySpec, w: np.ndarray, *rest: float) -> Any:
        """penalty.method(w, *rest) in the JVM, the result read back in w's dtype."""
        p = self._call(self._penalty, penalty)
        result = self._call(getattr(p, method), _jvm.java_array(self.jpype, w), *rest)
        return _jvm.from_java(self.jpype, result, w.dtype)

    def value(self, penalty, w):
        return self._on_array("value", penalty, w)

    def gradient(self, penalty, w):
        return self._on_array("gradient", penalty, w)

    def prox(self, penalty, w, step):
        return self._on_array("prox", penalty, w, float(step))

    def loss(self, penalty, y_true, y_pred, w):
        p = self._call(self._penalty, penalty)
        arrays = [_jvm.java_array(self.jpype, a) for a in (y_true, y_pred, w)]
        return _jvm.from_java(self.jpype, self._call(self._loss().computeLoss, *arrays, p), y_true.dtype)

    def l1_regularization(self, w, lambda_):
        helper = self.jpype.JClass(self.helper_class)
        result = self._call(helper.l1Regularization, _jvm.java_array(self.jpype, w), float(lambda_))
        return _jvm.from_java(self.jpype, result, w.dtype)

    def from_config(self, text):
        return self._spec(self._call(self._penalties().fromConfig, self.jpype.JString(text)))

    def to_config(self, penalty):
        return str(self._call(self._penalty, penalty).toConfig())

    def convert(self, convention, params):
        function = getattr(self._conventions(), camel(CONVERTER_FUNCTIONS[convention]))
        return self._spec(self._call(function, *(float(params[n]) for n in CONVENTIONS[convention])))

    def time_kernel(self, operation, penalty, w, step, repeats):
        p = self._call(self._penalty, penalty)
        array = _jvm.java_array(self.jpype, w)
        return float(self.timer.time(operation, p, array, float(step), int(repeats)))


class JavaBackend(_JvmBackend):
    name = "java"
    language = "Java"
    error_class = "org.regpen.RegpenException"
    timer_class = "org.regpen.KernelTimer"
    helper_class = "org.regpen.L1Regularization"

    def _code(self, error):
        return str(error.code().id())

    def _penalty(self, spec):
        kind = PENALTIES[spec.type]
        constructor = self.jpype.JClass(f"org.regpen.{kind.class_name}")
        p = constructor(*(float(spec.params[k]) for k in kind.params))
        if spec.penalty_factor is not None:
            p = p.withPenaltyFactor(_jvm.java_array(self.jpype, np.asarray(spec.penalty_factor, np.float64)))
        return p

    def _spec(self, penalty):
        return self._factor_spec(penalty, penalty.penaltyFactor())

    def _loss(self):
        return self.jpype.JClass("org.regpen.Loss")

    def _penalties(self):
        return self.jpype.JClass("org.regpen.Penalty")

    def _conventions(self):
        return self.jpype.JClass("org.regpen.Conventions")


class ScalaBackend(_JvmBackend):
    name = "scala"
    language = "Scala"
    error_class = "regpen.RegpenError"
    timer_class = "regpen.KernelTimer$"
    # The object's static forwarder: `L1Regularization.l1Regularization` callable on the class itself.
    helper_class = "regpen.L1Regularization"

    def _object(self, name):
        """A Scala `object` is the MODULE$ singleton of its `$` class."""
        return getattr(self.jpype.JClass(name), "MODULE$")

    def _code(self, error):
        return str(error.code().id())

    def _penalty(self, spec):
        kind = PENALTIES[spec.type]
        companion = self._object(f"regpen.{kind.class_name}$")
        p = companion.apply(*(float(spec.params[k]) for k in kind.params))
        if spec.penalty_factor is not None:
            p = p.withPenaltyFactor(_jvm.java_array(self.jpype, np.asarray(spec.penalty_factor, np.float64)))
        return p

    def _spec(self, penalty):
        option = penalty.penaltyFactor()
        return self._factor_spec(penalty, option.get() if option.isDefined() else None)

    def _loss(self):
        return self._object("regpen.Loss$")

    def _penalties(self):
        return self._object("regpen.Penalty$")

    def _conventions(self):
        return self._object("regpen.Conventions$")


_SEED_CAPABILITIES = seed_capabilities(
    {
        "float32": "the seed's helper takes double[] / Array[Double] only",
        "loss": "the seed's loss is a UML box with no code",
        "mixed_dtype": "the seed takes one double array",
        **_TYPED_ARRAY_GAPS,
    }
)


class _SeedBackend(Backend):
    """The seed's `l1Regularization(weights, lambda)`: a left-to-right loop, nothing validated."""

    worker = "jvm"
    teaching = True
    capabilities = _SEED_CAPABILITIES
    seed_class = ""

    def unavailable(self) -> str | None:
        return _jvm.unavailable(_CLASSPATH)

    def setup(self) -> None:
        self.jpype = _jvm.jpype_started()
        self.seed = self.jpype.JClass(self.seed_class)

    def l1_regularization(self, w, lambda_):
        return np.float64(float(self.seed.l1Regularization(_jvm.java_array(self.jpype, w), float(lambda_))))

    def value(self, penalty, w):
        return self.l1_regularization(w, penalty.params["lam"])


class JavaSeed(_SeedBackend):
    name = "java-seed"
    language = "Java"
    seed_class = "org.regpen.seed.SeedL1"


class ScalaSeed(_SeedBackend):
    name = "scala-seed"
    language = "Scala"
    # The object's static forwarder: `SeedL1.l1Regularization` callable on the class itself.
    seed_class = "regpen.seed.SeedL1"


BACKENDS = [JavaBackend(), ScalaBackend(), JavaSeed(), ScalaSeed()]
