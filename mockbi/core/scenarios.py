"""Scenario files: ``seeds/<vendor>/<scenario>.yaml`` declare the initial world; Faker fills the gaps.

Built-in scenarios are ``default`` (a populated world) and ``empty`` (credentials and the bare
containers a client needs, nothing else). A file may say ``extends: <scenario>``: its keys then replace the
same keys of that scenario (a list or a count is replaced, not added to). Folders given with
``--scenario-dir`` (``MockbiConfig.scenario_dirs``) hold ``<vendor>/<name>.yaml`` files of their own; they
may not reuse a packaged scenario's name (a user's ``default.yaml`` is refused, not silently ignored).

Every problem is one :class:`ConfigError` line naming the file and what is allowed: malformed YAML, a file
that is no mapping, an ``extends`` naming no scenario or making a cycle, a key the vendor's store does not
read (``Store.scenario_keys``; the closest key is suggested) or a value of the wrong type, a folder named
after no vendor.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from mockbi.core.errors import ConfigError
from mockbi.core.resources import data_dir
from mockbi.core.suggest import unknown

BUILTIN = ("default", "empty")
#: libyaml's parser when PyYAML was built with it (same documents, ~10x faster than the pure-Python one)
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: what a store declares it reads: key -> the Python types its value may have (``None`` is always allowed for
#: a list or a mapping, which stores read as "the default")
ScenarioKeys = Mapping[str, type | tuple[type, ...]]
TYPE_WORDS: dict[type, str] = {int: "a whole number", str: "a string", list: "a list", dict: "a mapping",
                               bool: "true or false", float: "a number"}


def _packaged(vendor: str) -> dict[str, Path]:
    folder = data_dir("seeds") / vendor
    return {f.stem: f for f in sorted(folder.glob("*.y*ml"))} if folder.is_dir() else {}


def scenario_files(vendor: str, extra_dirs: tuple[str, ...] = ()) -> dict[str, Path]:
    found = _packaged(vendor)
    for root in map(Path, extra_dirs):
        folder = root / vendor
        if folder.is_dir():
            for f in sorted(folder.glob("*.y*ml")):
                if f.stem in BUILTIN or f.stem in _packaged(vendor):
                    raise ConfigError(f"scenario file {f}: {f.stem!r} is a packaged scenario and cannot be replaced; "
                                      f"name the file differently (it may say 'extends: {f.stem}')")
                found.setdefault(f.stem, f)
    return found


def check_scenario_dirs(extra_dirs: tuple[str, ...], vendors: list[str]) -> None:
    """Every scenario folder exists and holds only folders named after a vendor."""
    from mockbi.vendors import AVAILABLE

    known = sorted(set(AVAILABLE) | set(vendors))
    for root in map(Path, extra_dirs):
        if not root.is_dir():
            raise ConfigError(f"scenario folder {str(root)!r} is not a folder")
        for child in sorted(root.iterdir()):
            if child.is_dir() and child.name not in known and not child.name.startswith("."):
                raise ConfigError(f"scenario folder {str(root)!r}: " + unknown("vendor folder", child.name, known))


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(text, Loader=SAFE_LOADER)
        except yaml.YAMLError:  # the pure-Python parser words the error (line, column, problem)
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"scenario file {path}: not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"scenario file {path}: cannot be read: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"scenario file {path} must hold a mapping of keys, not {type(data).__name__}")
    return data


def _check_keys(path: Path, data: dict[str, Any], keys: ScenarioKeys | None) -> None:
    if keys is None:
        return
    for key, value in data.items():
        if key not in keys:
            raise ConfigError(f"scenario file {path}: " + unknown("key", key, keys))
        declared = keys[key]
        types: tuple[type, ...] = declared if isinstance(declared, tuple) else (declared,)
        if value is None and (list in types or dict in types):
            continue
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            wanted = " or ".join(TYPE_WORDS.get(t) or t.__name__ for t in types)
            raise ConfigError(f"scenario file {path}: {key} must be {wanted}, not {value!r}")


def load_scenario(vendor: str, scenario: str, extra_dirs: tuple[str, ...] = (),
                  keys: ScenarioKeys | None = None, _chain: tuple[str, ...] = ()) -> dict[str, Any]:
    """The scenario's data for ``vendor`` (``{}`` for a built-in scenario with no file); ``keys`` are the
    keys the vendor's store reads (``None``: not checked)."""
    files = scenario_files(vendor, extra_dirs)
    path = files.get(scenario)
    if path is None:
        return {}  # a built-in scenario, or one that only other vendors define: the store's defaults
    if scenario in _chain:
        raise ConfigError(f"scenario file {path}: 'extends' makes a cycle: {' -> '.join((*_chain, scenario))}")
    data = _read(path)
    base = data.pop("extends", None)
    _check_keys(path, data, keys)
    if base is None:
        return data
    if not isinstance(base, str) or base not in set(files) | set(BUILTIN):
        raise ConfigError(f"scenario file {path}: extends " + unknown("scenario", base, set(files) | set(BUILTIN)))
    merged = load_scenario(vendor, base, extra_dirs, keys, (*_chain, scenario))
    merged.update(data)
    return merged


def known_scenarios(vendors: list[str], extra_dirs: tuple[str, ...] = ()) -> set[str]:
    names = set(BUILTIN)
    for v in vendors:
        names |= set(scenario_files(v, extra_dirs))
    return names


def check_scenario(scenario: str, vendors: list[str], extra_dirs: tuple[str, ...] = ()) -> None:
    """Raise ``ConfigError`` unless ``scenario`` is built in or defined by a file of some vendor."""
    check_scenario_dirs(extra_dirs, vendors)
    known = known_scenarios(vendors, extra_dirs)
    if scenario not in known:
        raise ConfigError(unknown("scenario", scenario, known))
