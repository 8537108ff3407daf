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
from regpen_names import CONVENTIONS, CONVERTER_FUNCTIONS, PENALTIES

from harness.backend import FEATURES, OPERATIONS, Backend, Capabilities, PenaltySpec, SpecError
from harness.inputs import plain


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

    kind = PENALTIES[spec.type]
    constructor = getattr(regpen, kind.class_name)
    return constructor(*(spec.params[name] for name in kind.params), penalty_factor=spec.penalty_factor)


def from_regpen(penalty) -> PenaltySpec:
    params = {name: float(getattr(penalty, name)) for name in PENALTIES[penalty.kind].params}
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
        wanted = [p.class_name for p in PENALTIES.values()]
        wanted += ["compute_loss", "l1_regularization", "from_json"]
        missing = [n for n in wanted if not hasattr(regpen, n)]
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

        function = getattr(regpen, CONVERTER_FUNCTIONS[convention])
        with _spec_errors():
            return from_regpen(function(*(params[n] for n in CONVENTIONS[convention])))


BACKENDS = [Reference()]
