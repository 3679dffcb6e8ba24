"""The vendors mockbi serves, imported lazily by slug."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from mockbi.core.errors import ConfigError
from mockbi.core.vendor import Vendor

#: slug -> module holding ``VENDOR``; the order is the order of ``/__mockbi/info`` and the banner
AVAILABLE: Mapping[str, str] = MappingProxyType({
    "posthog": "mockbi.vendors.posthog",
    "lightdash": "mockbi.vendors.lightdash",
    "hashboard": "mockbi.vendors.hashboard",
    "hasura_cloud": "mockbi.vendors.hasura_cloud",
})


def installed() -> list[str]:
    """Slugs whose package is present (a vendor still being written is simply absent)."""
    names = []
    for slug, module in AVAILABLE.items():
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        if hasattr(loaded, "VENDOR"):
            names.append(slug)
    return names


def load(names: tuple[str, ...] | list[str] = ()) -> list[Vendor[Any]]:
    wanted = list(names) or installed()
    unknown = [n for n in wanted if n not in AVAILABLE]
    if unknown:
        raise ConfigError(f"unknown vendor(s) {', '.join(unknown)}; available: {', '.join(AVAILABLE)}")
    vendors: list[Vendor[Any]] = []
    for name in wanted:
        try:
            vendors.append(importlib.import_module(AVAILABLE[name]).VENDOR)
        except (ModuleNotFoundError, AttributeError) as exc:
            raise ConfigError(f"vendor {name!r} is not available in this installation") from exc
    return vendors
