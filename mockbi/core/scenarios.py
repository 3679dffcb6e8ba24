"""Scenario files: ``seeds/<vendor>/<scenario>.yaml`` declare the initial world; Faker fills the gaps.

Built-in scenarios are ``default`` (a populated world) and ``empty`` (credentials and the bare
containers a client needs, nothing else). A scenario file may hold any keys its vendor's store reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mockbi.core.errors import ConfigError
from mockbi.core.resources import data_dir

BUILTIN = ("default", "empty")
#: libyaml's parser when PyYAML was built with it (same documents, ~10x faster than the pure-Python one)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def scenario_files(vendor: str, extra_dirs: tuple[str, ...] = ()) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in (data_dir("seeds"), *map(Path, extra_dirs)):
        folder = root / vendor
        if folder.is_dir():
            for f in sorted(folder.glob("*.y*ml")):
                found.setdefault(f.stem, f)
    return found


def load_scenario(vendor: str, scenario: str, extra_dirs: tuple[str, ...] = ()) -> dict[str, Any]:
    """The scenario's data for ``vendor`` (``{}`` for a built-in scenario with no file)."""
    files = scenario_files(vendor, extra_dirs)
    path = files.get(scenario)
    if path is None:
        return {}  # a built-in scenario, or one that only other vendors define: the store's defaults
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"scenario file {path} must hold a mapping")
    base = data.pop("extends", None)
    if base:
        merged = load_scenario(vendor, str(base), extra_dirs)
        merged.update(data)
        return merged
    return data


def known_scenarios(vendors: list[str], extra_dirs: tuple[str, ...] = ()) -> set[str]:
    names = set(BUILTIN)
    for v in vendors:
        names |= set(scenario_files(v, extra_dirs))
    return names


def check_scenario(scenario: str, vendors: list[str], extra_dirs: tuple[str, ...] = ()) -> None:
    """Raise ``ConfigError`` unless ``scenario`` is built in or defined by a file of some vendor."""
    known = known_scenarios(vendors, extra_dirs)
    if scenario not in known:
        raise ConfigError(f"unknown scenario {scenario!r}; available: {', '.join(sorted(known))}")
