"""Loading the golden vectors: schema validation, manifest hashes, unique ids.

A suite directory holds one JSON file per operation, `schema.json` and `manifest.json` (the suite
version and a sha256 per file). Nothing runs against vectors whose bytes differ from the manifest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "vectors"
_NOT_VECTORS = {"schema.json", "manifest.json"}


class SuiteError(Exception):
    """The vectors cannot be trusted: a hash differs, a file breaks the schema, an id repeats."""


@dataclass
class Suite:
    directory: Path
    version: str
    hashes: dict[str, str]  # file name -> sha256 of its bytes, as checked against the manifest
    tests: list[dict] = field(default_factory=list)
    name: str = "regpen"  # the manifest's `suite`: what expected-failure lists name (expected.py)

    def header(self) -> list[str]:
        """The lines every report starts with, so that a report names the exact vectors it used."""
        lines = [f"suite {self.name} {self.version} ({self.directory})"]
        lines += [f"  {name}  sha256 {digest}" for name, digest in sorted(self.hashes.items())]
        return lines


def _manifest_hashes(manifest: dict) -> dict[str, str]:
    """File name -> sha256 from the manifest, whether it lists files as a mapping or as records."""
    files = manifest.get("files", {})
    if isinstance(files, dict):
        return {name: entry["sha256"] if isinstance(entry, dict) else entry for name, entry in files.items()}
    return {entry.get("file") or entry.get("name") or entry["path"]: entry["sha256"] for entry in files}


def inline_refs(node: object, defs: dict, stack: tuple[str, ...] = ()) -> object:
    """The schema with each bare local `{"$ref": "#/$defs/x"}` replaced by its definition.

    Same meaning, but jsonschema no longer resolves a reference for each of the suite's half a
    million floats, which cuts validation from about 8 s to 3 s. Recursive definitions stay refs.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in defs and name not in stack:
                return inline_refs(defs[name], defs, (*stack, name))
        return {k: v if k == "$defs" else inline_refs(v, defs, stack) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_refs(v, defs, stack) for v in node]
    return node


def load_suite(directory: Path = DEFAULT_DIR) -> Suite:
    directory = Path(directory)
    manifest_path, schema_path = directory / "manifest.json", directory / "schema.json"
    for required in (manifest_path, schema_path):
        if not required.is_file():
            raise SuiteError(f"{required} is missing (run `make vectors`)")
    manifest = json.loads(manifest_path.read_text())
    schema = json.loads(schema_path.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(inline_refs(schema, schema.get("$defs", {})))

    listed = _manifest_hashes(manifest)
    present = sorted(p.name for p in directory.glob("*.json") if p.name not in _NOT_VECTORS)
    problems: list[str] = []
    for name in sorted(set(present) - set(listed)):
        problems.append(f"{name} is not listed in manifest.json")
    for name in sorted(set(listed) - set(present) - _NOT_VECTORS):
        problems.append(f"{name} is listed in manifest.json but missing")

    hashes: dict[str, str] = {}
    tests: list[dict] = []
    seen: set[str] = set()
    for name in sorted(listed):
        path = directory / name
        if not path.is_file():
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        hashes[name] = digest
        if digest != listed[name]:
            problems.append(f"{name}: sha256 {digest} differs from the manifest's {listed[name]}")
            continue
        if name in _NOT_VECTORS:
            continue
        document = json.loads(raw)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:5]:
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{name}: schema: {where}: {error.message[:200]}")
        if errors:
            continue
        count = 0
        for group in document["groups"]:
            for test in group["tests"]:
                count += 1
                if test["id"] in seen:
                    problems.append(f"{name}: duplicate test id {test['id']}")
                seen.add(test["id"])
                tests.append(test)
        declared = document.get("number_of_tests")
        if declared is not None and declared != count:
            problems.append(f"{name}: number_of_tests says {declared}, the file has {count}")
    if problems:
        raise SuiteError("the vectors cannot be used:\n  " + "\n  ".join(problems))
    return Suite(
        directory,
        str(manifest.get("suite_version", "?")),
        hashes,
        tests,
        name=str(manifest.get("suite", "?")),
    )


def test_dtype(test: dict) -> str:
    """The dtype a test is reported under; configuration and conversion tests are binary64."""
    return test.get("dtype", "float64")


def test_penalty_type(test: dict) -> str | None:
    penalty = test.get("penalty")
    return penalty.get("type") if isinstance(penalty, dict) else None
