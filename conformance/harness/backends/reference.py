"""Adapter for the `reference` backend: the regpen Python package, the readable implementation.

It runs every operation in both dtypes, with penalty factors and mixed-dtype calls (Python is the
one language here that can be handed arrays of two dtypes at once), integer inputs (handed over as
lists of Python ints, the form a user writes; the native adapters pass numpy int64 arrays) and
multi-dimensional arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from harness.backend import FEATURES, OPERATIONS, Backend, Capabilities, PenaltySpec, SpecError
from harness.inputs import plain

# Converter argument order per convention; the vectors name the same parameters.
_CONVERTERS = {
    "sklearn": ("from_sklearn", ("alpha", "l1_ratio")),
    "glmnet": ("from_glmnet", ("lambda", "alpha")),
    "keras": ("from_keras", ("l1", "l2")),
    "torch": ("from_torch_weight_decay", ("weight_decay",)),
}


@contextmanager
def _spec_errors() -> Iterator[None]:
    """regpen's own errors become the harness's SpecError with the same spec code."""
    import regpen

    try:
        yield
    except regpen.RegpenError as e:
        raise SpecError(e.code, str(e)) from e


def to_regpen(spec: PenaltySpec):
    import regpen

    factor = spec.penalty_factor
    if spec.type == "l1":
        return regpen.L1(spec.params["lam"], penalty_factor=factor)
    if spec.type == "l2":
        return regpen.L2(spec.params["lam"], penalty_factor=factor)
    if spec.type == "elastic_net":
        return regpen.ElasticNet(spec.params["l1"], spec.params["l2"], penalty_factor=factor)
    raise ValueError(f"unknown penalty type {spec.type!r}")


def from_regpen(penalty) -> PenaltySpec:
    if penalty.kind == "elastic_net":
        params = {"l1": float(penalty.l1), "l2": float(penalty.l2)}
    else:
        params = {"lam": float(penalty.lam)}
    factor = penalty.penalty_factor
    return PenaltySpec(penalty.kind, params, None if factor is None else np.asarray(factor, np.float64))


class Reference(Backend):
    name = "reference"
    language = "Python"
    worker = "python-reference"
    capabilities = Capabilities(
        dtypes=("float64", "float32"),
        operations=OPERATIONS,
        features=FEATURES,
    )

    def unavailable(self) -> str | None:
        try:
            import regpen
        except ImportError as e:
            return f"the regpen package does not import ({e}): build it with `make python`"
        missing = [
            n
            for n in ("L1", "L2", "ElasticNet", "compute_loss", "l1_regularization", "from_json")
            if not hasattr(regpen, n)
        ]
        return f"regpen lacks {missing}" if missing else None

    def value(self, penalty, w):
        with _spec_errors():
            return to_regpen(penalty).value(plain(w))

    def gradient(self, penalty, w):
        with _spec_errors():
            return to_regpen(penalty).gradient(plain(w))

    def prox(self, penalty, w, step):
        with _spec_errors():
            return to_regpen(penalty).prox(plain(w), step)

    def loss(self, penalty, y_true, y_pred, w):
        import regpen

        with _spec_errors():
            return regpen.compute_loss(plain(y_true), plain(y_pred), plain(w), to_regpen(penalty))

    def l1_regularization(self, w, lambda_):
        import regpen

        with _spec_errors():
            return regpen.l1_regularization(plain(w), lambda_)

    def from_config(self, text):
        import regpen

        with _spec_errors():
            return from_regpen(regpen.from_json(text))

    def to_config(self, penalty):
        with _spec_errors():
            return to_regpen(penalty).to_json()

    def convert(self, convention, params):
        import regpen

        function, names = _CONVERTERS[convention]
        with _spec_errors():
            return from_regpen(getattr(regpen, function)(*(params[n] for n in names)))


BACKENDS = [Reference()]
