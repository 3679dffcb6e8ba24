"""No module-level mutable state: two servers in one process share nothing through a module. Every mockbi
module is imported, then two apps are built and serve the golden request script over all four vendors; no
module-level container or object (vendor singletons, registries, tables) may have changed meanwhile."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
import sys
import types
from typing import Any

import requests

import mockbi
from mockbi.config import MockbiConfig
from mockbi.server import ServerThread
from tests.integration.test_golden import Script

SKIP_MODULES = ("mockbi.scaffold",)  # templates only
#: objects whose own state is not the program's (loggers, locks, compiled patterns, the stdlib's)
INERT = (logging.Logger, re.Pattern, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type,
         types.MethodType, property, staticmethod, classmethod)


def _every_module() -> list[types.ModuleType]:
    for info in pkgutil.walk_packages(mockbi.__path__, "mockbi."):
        if not info.name.startswith(SKIP_MODULES) and info.name != "mockbi.__main__":
            importlib.import_module(info.name)
    return [m for name, m in sorted(sys.modules.items()) if name.startswith("mockbi") and m is not None]


def _image(value: Any, depth: int = 0) -> Any:
    """A comparable picture of what a module-level value holds now."""
    if depth > 4 or isinstance(value, INERT) or callable(value) and not hasattr(value, "__dict__"):
        return None
    if isinstance(value, dict | types.MappingProxyType):
        return {repr(k): _image(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_image(v, depth + 1) for v in (sorted(value, key=repr) if isinstance(value, set | frozenset)
                                               else value)]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: _image(v, depth + 1) for k, v in vars(value).items()}
    return repr(value)


def _state(modules: list[types.ModuleType]) -> dict[tuple[str, str], Any]:
    return {(m.__name__, name): _image(value) for m in modules for name, value in vars(m).items()
            if not name.startswith("__")}


def _serve_the_script() -> None:
    with ServerThread(MockbiConfig(seed=4, clock_mode="frozen")) as server:
        info = requests.get(f"{server.url}/__mockbi/info", timeout=10).json()["vendors"]
        script = Script(server.url, info)
        script.posthog()
        script.lightdash()
        script.hashboard()
        script.hasura()
        assert len(script.answers) > 25


def test_two_servers_change_no_module_state() -> None:
    modules = _every_module()
    before = _state(modules)
    _serve_the_script()
    _serve_the_script()
    after = _state(modules)
    changed = sorted(f"{module}.{name}" for (module, name), value in before.items()
                     if after.get((module, name)) != value)
    assert not changed, f"module-level state changed by serving: {changed}"
    assert len(before) > 1000  # the walk did see the modules' globals
