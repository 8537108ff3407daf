"""Adapters for the Clojure backend (clojure/): `clojure` calls regpen.core, `clojure-seed` calls the
seed document's helper as written (regpen.seed, a teaching backend).

Both run in the one shared JVM (worker "jvm", see _jvm.py) through Clojure's Java API: require the
namespace once, then invoke its vars with Java arrays of the test's dtype. regpen.core reports errors
as ex-info carrying {:regpen/code :invalid-lambda}; they become SpecError("invalid_lambda").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from harness.backend import Backend, Capabilities, PenaltySpec, SpecError, seed_capabilities
from harness.backends import _jvm

# `make clojure-build` writes build/jvm-classpath/clojure.txt.
_CLASSPATH = "clojure"
_PARAMS = {"l1": ("lam",), "l2": ("lam",), "elastic_net": ("l1", "l2")}
_CONSTRUCTORS = {"l1": "l1", "l2": "l2", "elastic_net": "elastic-net"}
_CONVERTERS = {
    "sklearn": ("from-sklearn", ("alpha", "l1_ratio")),
    "glmnet": ("from-glmnet", ("lambda", "alpha")),
    "keras": ("from-keras", ("l1", "l2")),
    "torch": ("from-torch-weight-decay", ("weight_decay",)),
}


class _Clojure:
    """Clojure's Java API in the running JVM: namespaces, vars and keywords."""

    def __init__(self) -> None:
        _jvm.ensure_started()
        import jpype

        self.jpype = jpype
        self.api = jpype.JClass("clojure.java.api.Clojure")
        self._vars: dict[tuple[str, str], Any] = {}

    def require(self, namespace: str) -> None:
        self.var("clojure.core", "require").invoke(self.api.read(namespace))

    def var(self, namespace: str, name: str) -> Any:
        key = (namespace, name)
        if key not in self._vars:
            self._vars[key] = self.api.var(namespace, name)
        return self._vars[key]

    def read(self, text: str) -> Any:
        return self.api.read(text)

    def java_array(self, values: np.ndarray) -> Any:
        """A double[] or float[] copy of a one-dimensional numpy array, keeping its dtype."""
        element = self.jpype.JFloat if values.dtype == np.float32 else self.jpype.JDouble
        return self.jpype.JArray(element)(np.ascontiguousarray(values))


def _from_java(result: Any, like: np.dtype) -> Any:
    """A Double or Float (scalar) or a double[]/float[] (array) as numpy, in the dtype of `like`."""
    if hasattr(result, "__len__"):
        return np.array(result, dtype=like)
    return like.type(float(result))


class ClojureBackend(Backend):
    name = "clojure"
    language = "Clojure"
    worker = "jvm"
    capabilities = Capabilities(features=("penalty_factor", "mixed_dtype"))

    def __init__(self) -> None:
        self._clj: _Clojure | None = None

    def unavailable(self) -> str | None:
        return _jvm.unavailable(_CLASSPATH)

    def setup(self) -> None:
        self._clj = _Clojure()
        self._clj.require("regpen.core")
        self._code_key = self._clj.read(":regpen/code")
        self._factor_key = self._clj.read(":penalty-factor")

    def _core(self, name: str) -> Any:
        assert self._clj is not None, "setup() was not called"
        return self._clj.var("regpen.core", name)

    def _call(self, function: Any, *args: Any) -> Any:
        """Invokes a Clojure function, turning ex-info with :regpen/code into SpecError."""
        try:
            return function.invoke(*args)
        except self._clj.jpype.JException as e:
            data = self._clj.var("clojure.core", "ex-data").invoke(e)
            code = None if data is None else data.valAt(self._code_key)
            if code is None:
                raise
            raise SpecError(str(code.getName()).replace("-", "_"), str(e.getMessage())) from None

    def _penalty(self, spec: PenaltySpec) -> Any:
        args: list[Any] = [float(spec.params[key]) for key in _PARAMS[spec.type]]
        if spec.penalty_factor is not None:
            args += [self._factor_key, self._clj.java_array(np.asarray(spec.penalty_factor, np.float64))]
        return self._call(self._core(_CONSTRUCTORS[spec.type]), *args)

    def _spec(self, penalty: Any) -> PenaltySpec:
        """Reads a regpen.core penalty back through its configuration map (string keys)."""
        config = self._core("config").invoke(penalty)
        kind = str(config.valAt("type"))
        params = {key: float(config.valAt(key)) for key in _PARAMS[kind]}
        factors = config.valAt("penalty_factor")
        return PenaltySpec(
            kind,
            params,
            None if factors is None else np.array([float(f) for f in factors], np.float64),
        )

    def value(self, penalty: PenaltySpec, w: np.ndarray) -> np.floating:
        p = self._penalty(penalty)
        return _from_java(self._call(self._core("value"), p, self._clj.java_array(w)), w.dtype)

    def gradient(self, penalty: PenaltySpec, w: np.ndarray) -> np.ndarray:
        p = self._penalty(penalty)
        return _from_java(self._call(self._core("gradient"), p, self._clj.java_array(w)), w.dtype)

    def prox(self, penalty: PenaltySpec, w: np.ndarray, step: float) -> np.ndarray:
        p = self._penalty(penalty)
        result = self._call(self._core("prox"), p, self._clj.java_array(w), float(step))
        return _from_java(result, w.dtype)

    def loss(
        self, penalty: PenaltySpec, y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray
    ) -> np.floating:
        p = self._penalty(penalty)
        arrays = [self._clj.java_array(a) for a in (y_true, y_pred, w)]
        return _from_java(self._call(self._core("compute-loss"), *arrays, p), y_true.dtype)

    def from_config(self, text: str) -> PenaltySpec:
        return self._spec(self._call(self._core("from-config"), text))

    def to_config(self, penalty: PenaltySpec) -> str:
        return str(self._call(self._core("to-config"), self._penalty(penalty)))

    def convert(self, convention: str, params: dict[str, float]) -> PenaltySpec:
        function, names = _CONVERTERS[convention]
        return self._spec(self._call(self._core(function), *[float(params[n]) for n in names]))

    def time_kernel(
        self, operation: str, penalty: PenaltySpec, w: np.ndarray, step: float, repeats: int
    ) -> float | None:
        assert self._clj is not None, "setup() was not called"
        self._clj.require("regpen.bench")
        timer = self._clj.var("regpen.bench", "time-kernel")
        p = self._penalty(penalty)
        return float(self._call(timer, operation, p, self._clj.java_array(w), float(step), int(repeats)))


class ClojureSeed(Backend):
    """The seed's `(* lambda (reduce + (map abs weights)))`: drift is reported, not failed."""

    name = "clojure-seed"
    language = "Clojure"
    worker = "jvm"
    teaching = True
    capabilities = seed_capabilities(
        {
            "float32": "the seed's snippet works on Clojure doubles: float64 only",
            "loss": "the seed's Clojure snippet has no loss function",
            "mixed_dtype": "the seed takes one sequence of doubles",
        }
    )

    def __init__(self) -> None:
        self._clj: _Clojure | None = None

    def unavailable(self) -> str | None:
        return _jvm.unavailable(_CLASSPATH)

    def setup(self) -> None:
        self._clj = _Clojure()
        self._clj.require("regpen.seed")

    def value(self, penalty: PenaltySpec, w: np.ndarray) -> np.floating:
        assert self._clj is not None, "setup() was not called"
        seed = self._clj.var("regpen.seed", "l1-regularization")
        return np.float64(float(seed.invoke(self._clj.java_array(w), float(penalty.params["lam"]))))


BACKENDS = [ClojureBackend(), ClojureSeed()]
