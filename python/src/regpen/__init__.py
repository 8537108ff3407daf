"""regpen: L1, L2 and Elastic Net penalties whose every result is correctly rounded and identical
across Python, C++, Java, Scala and Clojure (see conformance/SPEC.md).

>>> import regpen
>>> float(regpen.L1(0.01).value([0.5, -0.3, 0.0, 1.2]))
0.02
"""

from regpen.conventions import from_glmnet, from_keras, from_sklearn, from_torch_weight_decay
from regpen.errors import (
    EmptyInputError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDtypeError,
    InvalidLambdaError,
    InvalidPenaltyFactorError,
    InvalidStepError,
    RegpenError,
    ShapeMismatchError,
)
from regpen.loss import compute_loss, l1_regularization
from regpen.penalties import L1, L2, ElasticNet, Penalty, from_config, from_json

__version__ = "1.0.0"

__all__ = [
    "L1",
    "L2",
    "ElasticNet",
    "EmptyInputError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidDtypeError",
    "InvalidLambdaError",
    "InvalidPenaltyFactorError",
    "InvalidStepError",
    "Penalty",
    "RegpenError",
    "ShapeMismatchError",
    "compute_loss",
    "from_config",
    "from_glmnet",
    "from_json",
    "from_keras",
    "from_sklearn",
    "from_torch_weight_decay",
    "l1_regularization",
]
