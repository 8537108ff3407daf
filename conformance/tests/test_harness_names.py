"""One table of names (issue 14 §3): regpen_names is what the harness and its adapters read, and
it agrees with the oracle and the vector schema until they read it too."""

from __future__ import annotations

import json
from pathlib import Path

import regpen_names as names

from harness import backend, data
from oracle import spec

SCHEMA = Path(__file__).resolve().parents[1] / "vectors" / "schema.json"


def test_language_spellings_derive_from_the_python_names():
    assert names.camel("from_torch_weight_decay") == "fromTorchWeightDecay"
    assert names.kebab("from_torch_weight_decay") == "from-torch-weight-decay"
    assert names.PENALTIES["elastic_net"].clojure_constructor == "elastic-net"
    assert names.BY_CLASS_NAME["ElasticNet"].type == "elastic_net"


def test_every_parameter_weighs_one_part():
    for kind in names.PENALTIES.values():
        assert len(kind.params) == len(kind.parts)
        assert set(kind.parts) <= {"l1", "l2"}


def test_the_table_agrees_with_the_oracle_and_the_schema():
    assert names.PARAMETER_NAMES == spec.PARAMETER_NAMES
    assert names.CONVENTIONS == spec.CONVENTIONS
    schema = json.loads(SCHEMA.read_text())
    assert set(schema["$defs"]["test"]["properties"]["operation"]["enum"]) <= set(
        names.OPERATIONS + names.TRAINING_OPERATIONS
    )
    assert schema["$defs"]["penalty"]["properties"]["type"]["enum"] == list(names.PENALTY_TYPES)


def test_harness_tables_are_the_shared_ones():
    assert backend.OPERATIONS is names.OPERATIONS
    assert backend.PENALTIES is names.PENALTY_TYPES
    for kind in names.PENALTY_TYPES:
        assert set(data.penalty(kind).params) == set(names.PARAMETER_NAMES[kind])
