"""Adapter for `python-seed`, a teaching backend: the seed document's Python L1 helper as written.

The seed sums |w| with numpy's pairwise `np.sum` and multiplies by lambda, with no validation. It is
not held to the spec's bits: its differences from the correctly rounded vectors are reported as ULP
drift, which is the point of running it. Its missing validation shows as listed error-code
mismatches in expected_failures/python-seed.txt.
"""

from __future__ import annotations

import numpy as np

from harness.backend import Backend, Capabilities

_ONLY_VALUE = "the seed only computes the penalty's value"


def seed_l1_regularization(weights: np.ndarray, lambda_: float) -> np.floating:
    """The seed's behaviour: a pairwise numpy sum of |w|, then one product, nothing checked."""
    return lambda_ * np.sum(np.abs(weights))


class PythonSeed(Backend):
    name = "python-seed"
    language = "Python"
    worker = "python-seed"
    teaching = True
    capabilities = Capabilities(
        dtypes=("float64",),
        operations=("value",),
        features=(),
        penalties=("l1",),
        gaps={
            "float32": "the seed builds its weights from Python floats: float64 only",
            "l2": "the seed implements L1 only",
            "elastic_net": "the seed implements L1 only",
            "gradient": _ONLY_VALUE,
            "prox": _ONLY_VALUE,
            "loss": "the seed's Python snippet has no loss function",
            "from_config": "the seed has no configuration format",
            "config_roundtrip": "the seed has no configuration format",
            "convert": "the seed has no converters",
            "penalty_factor": "the seed has no per-coordinate factors",
            "mixed_dtype": "the seed takes one float64 array",
        },
    )

    def value(self, penalty, w):
        return seed_l1_regularization(w, penalty.params["lam"])


BACKENDS = [PythonSeed()]
