"""The registry: every module in this package lists its adapters in a module-level `BACKENDS` list.

Adding a backend is adding one module here; nothing else needs to change.
"""

from __future__ import annotations

import importlib
import pkgutil

from harness.backend import Backend


def all_backends() -> list[Backend]:
    found: list[Backend] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found.extend(getattr(module, "BACKENDS", []))
    names = [b.name for b in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"backend names registered twice: {sorted(duplicates)}")
    return found
