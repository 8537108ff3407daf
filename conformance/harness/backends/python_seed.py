"""Adapter for `python-seed`, a teaching backend: the seed document's Python L1 helper as written.

The seed sums |w| with numpy's pairwise `np.sum` and multiplies by lambda, with no validation. It is
not held to the spec's bits: its differences from the correctly rounded vectors are reported as ULP
drift, which is the point of running it. Its missing validation shows as listed error-code
mismatches in expected_failures/python-seed.txt.
"""

from __future__ import annotations

import numpy as np

from harness.backend import Backend, seed_capabilities


def seed_l1_regularization(weights: np.ndarray, lambda_: float) -> np.floating:
    """The seed's behaviour: a pairwise numpy sum of |w|, then one product, nothing checked."""
    return lambda_ * np.sum(np.abs(weights))


class PythonSeed(Backend):
    name = "python-seed"
    language = "Python"
    worker = "python-seed"
    teaching = True
    capabilities = seed_capabilities(
        {
            "float32": "the seed builds its weights from Python floats: float64 only",
            "loss": "the seed's Python snippet has no loss function",
            "mixed_dtype": "the seed takes one float64 array",
        },
        # numpy's sum takes integer arrays and any shape as they come.
        features=("integer_input", "ndarray", "generated"),
    )

    def l1_regularization(self, w, lambda_):
        return seed_l1_regularization(w, lambda_)

    def value(self, penalty, w):
        return seed_l1_regularization(w, penalty.params["lam"])


BACKENDS = [PythonSeed()]
