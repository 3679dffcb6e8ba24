"""The toy-vendor pytester fixture of the plugin tests, shared here."""

from __future__ import annotations

from tests.plugin.test_plugin import toy_pytester

__all__ = ["toy_pytester"]
