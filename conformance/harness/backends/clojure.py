"""Adapters for the Clojure backend (clojure/): `clojure` calls regpen.core, `clojure-seed` calls the
seed document's helper as written (regpen.seed, a teaching backend).

Both run in the one shared JVM (worker "jvm", see _jvm.py) through Clojure's Java API: require the
namespace once, then invoke its vars with Java arrays of the test's dtype (the shared helpers of
_jvm.py), or with a vector of Longs for integer inputs (Clojure's own integers, SPEC 2.0 §E).
regpen.core reports errors as ex-info carrying {:regpen/code :invalid-lambda}; they become
SpecError("invalid_lambda").
"""

from __future__ import annotations

from typing import Any

import numpy as np
from regpen_names import CONVENTIONS, CONVERTER_FUNCTIONS, PENALTIES, kebab

from harness.backend import Backend, Capabilities, PenaltySpec, SpecError, seed_capabilities
from harness.backends import _jvm

# `make clojure-build` writes build/jvm-classpath/clojure.txt.
_CLASSPATH = "clojure"
_FLAT = "regpen.core takes flat sequences and arrays: a multi-dimensional w has no Clojure form"


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
        """A double[] or float[] of a float array (keeping its dtype); a vector of Longs for integers."""
        if values.dtype.kind in "iu":
            longs = self.jpype.JArray(self.jpype.JLong)(np.ascontiguousarray(values, np.int64))
            return self.var("clojure.core", "vec").invoke(longs)
        return _jvm.java_array(self.jpype, values)

    def from_java(self, result: Any, like: np.ndarray) -> Any:
        """A result as numpy in the dtype of the input `like` (float64 for integer input)."""
        return _jvm.from_java(self.jpype, result, _jvm.result_like(like))


class ClojureBackend(Backend):
    name = "clojure"
    language = "Clojure"
    worker = "jvm"
    capabilities = Capabilities(
        features=("penalty_factor", "mixed_dtype", "integer_input", "generated"),
        gaps={"ndarray": _FLAT},
    )

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
        kind = PENALTIES[spec.type]
        args: list[Any] = [float(spec.params[key]) for key in kind.params]
        if spec.penalty_factor is not None:
            args += [self._factor_key, self._clj.java_array(np.asarray(spec.penalty_factor, np.float64))]
        return self._call(self._core(kind.clojure_constructor), *args)

    def _spec(self, penalty: Any) -> PenaltySpec:
        """Reads a regpen.core penalty back through its configuration map (string keys)."""
        config = self._core("config").invoke(penalty)
        kind = str(config.valAt("type"))
        params = {key: float(config.valAt(key)) for key in PENALTIES[kind].params}
        factors = config.valAt("penalty_factor")
        return PenaltySpec(
            kind,
            params,
            None if factors is None else np.array([float(f) for f in factors], np.float64),
        )

    def _on_array(self, function: str, penalty: PenaltySpec, w: np.ndarray, *rest: float) -> Any:
        """(function penalty w & rest) from regpen.core, the result read back in w's dtype."""
        p = self._penalty(penalty)
        result = self._call(self._core(function), p, self._clj.java_array(w), *rest)
        return self._clj.from_java(result, w)

    def value(self, penalty: PenaltySpec, w: np.ndarray) -> np.floating:
        return self._on_array("value", penalty, w)

    def gradient(self, penalty: PenaltySpec, w: np.ndarray) -> np.ndarray:
        return self._on_array("gradient", penalty, w)

    def prox(self, penalty: PenaltySpec, w: np.ndarray, step: float) -> np.ndarray:
        return self._on_array("prox", penalty, w, float(step))

    def loss(
        self, penalty: PenaltySpec, y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray
    ) -> np.floating:
        p = self._penalty(penalty)
        arrays = [self._clj.java_array(a) for a in (y_true, y_pred, w)]
        # The loss's dtype is the float one of its inputs (integers count as float64).
        like = y_true if y_true.dtype.kind == "f" else y_pred
        return self._clj.from_java(self._call(self._core("compute-loss"), *arrays, p), like)

    def l1_regularization(self, w: np.ndarray, lambda_: float) -> np.floating:
        assert self._clj is not None, "setup() was not called"
        result = self._call(self._core("l1-regularization"), self._clj.java_array(w), float(lambda_))
        return self._clj.from_java(result, w)

    def from_config(self, text: str) -> PenaltySpec:
        return self._spec(self._call(self._core("from-config"), text))

    def to_config(self, penalty: PenaltySpec) -> str:
        return str(self._call(self._core("to-config"), self._penalty(penalty)))

    def convert(self, convention: str, params: dict[str, float]) -> PenaltySpec:
        function = self._core(kebab(CONVERTER_FUNCTIONS[convention]))
        return self._spec(self._call(function, *[float(params[n]) for n in CONVENTIONS[convention]]))

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
            "ndarray": _FLAT,
        },
        features=("integer_input", "generated"),
    )

    def __init__(self) -> None:
        self._clj: _Clojure | None = None

    def unavailable(self) -> str | None:
        return _jvm.unavailable(_CLASSPATH)

    def setup(self) -> None:
        self._clj = _Clojure()
        self._clj.require("regpen.seed")

    def l1_regularization(self, w: np.ndarray, lambda_: float) -> np.floating:
        assert self._clj is not None, "setup() was not called"
        seed = self._clj.var("regpen.seed", "l1-regularization")
        return np.float64(float(seed.invoke(self._clj.java_array(w), float(lambda_))))

    def value(self, penalty: PenaltySpec, w: np.ndarray) -> np.floating:
        return self.l1_regularization(w, penalty.params["lam"])


BACKENDS = [ClojureBackend(), ClojureSeed()]
