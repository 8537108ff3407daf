"""The names regpen's Python tooling shares: penalty types and their parameters, operations,
dtypes and converter conventions, kept once for the oracle, the harness and every adapter.

Adding a penalty type is one entry in PENALTIES (plus its arithmetic in oracle/spec.py); the
adapters derive each language's spelling from it: the class name (Python `regpen.L1`, Java
`org.regpen.L1`, Scala `regpen.L1`), Clojure's constructor (`l1`, `elastic-net`), and the
parameter accessors (`lam`, `l1`, `l2`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PenaltyType:
    """One penalty type as every language names it."""

    type: str  # the vectors' and configurations' name: "l1", "l2", "elastic_net"
    class_name: str  # the class (Python, Java, Scala): "L1", "L2", "ElasticNet"
    params: tuple[str, ...]  # parameter names, in the order the constructors take them
    parts: tuple[str, ...]  # for each parameter, the part it weighs: "l1" (|w|) or "l2" (w²)

    @property
    def clojure_constructor(self) -> str:
        return kebab(self.type)


PENALTIES: dict[str, PenaltyType] = {
    p.type: p
    for p in (
        PenaltyType("l1", "L1", ("lam",), ("l1",)),
        PenaltyType("l2", "L2", ("lam",), ("l2",)),
        PenaltyType("elastic_net", "ElasticNet", ("l1", "l2"), ("l1", "l2")),
    )
}
PENALTY_TYPES = tuple(PENALTIES)
PARAMETER_NAMES = {p.type: p.params for p in PENALTIES.values()}
BY_CLASS_NAME = {p.class_name: p for p in PENALTIES.values()}

# Every operation the vectors name, in the order reports list them.
OPERATIONS = (
    "value",
    "gradient",
    "prox",
    "loss",
    "l1_regularization",
    "from_config",
    "config_roundtrip",
    "convert",
)
# Model fits (SPEC §7): in the vectors, read by each language's own suite; not yet harness operations.
TRAINING_OPERATIONS = ("train", "path")
DTYPES = ("float64", "float32")

# Converter conventions: the parameters in the order the converters take them, and the Python
# function's name (Java/Scala spell it in camelCase, Clojure in kebab-case).
CONVENTIONS: dict[str, tuple[str, ...]] = {
    "sklearn": ("alpha", "l1_ratio"),
    "glmnet": ("lambda", "alpha"),
    "keras": ("l1", "l2"),
    "torch": ("weight_decay",),
}
CONVERTER_FUNCTIONS = {
    "sklearn": "from_sklearn",
    "glmnet": "from_glmnet",
    "keras": "from_keras",
    "torch": "from_torch_weight_decay",
}


def camel(snake: str) -> str:
    """from_torch_weight_decay -> fromTorchWeightDecay (Java and Scala method names)."""
    head, *rest = snake.split("_")
    return head + "".join(word.capitalize() for word in rest)


def kebab(snake: str) -> str:
    """from_torch_weight_decay -> from-torch-weight-decay (Clojure function names)."""
    return snake.replace("_", "-")
