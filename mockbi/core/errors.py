"""mockbi's exception tree.

    MockbiError                      -- anything mockbi raises on purpose
    ├── ContractError                -- a contract file is missing, invalid, or disagrees with a registry
    ├── ConfigError                  -- a bad MockbiConfig / CLI value, unknown vendor or scenario
    └── ApiError                     -- an HTTP answer in a vendor's own error shape (status, body)
        └── (vendor subclasses)      -- e.g. PostHogError, LightdashError

A handler raises an ``ApiError``; the pipeline turns it into the response the vendor would send and
journals it. Nothing in the store changes when a handler raises before mutating.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class MockbiError(Exception):
    """Base class of every error mockbi raises deliberately."""


class ContractError(MockbiError):
    """A contract cannot be loaded, is invalid, or does not match the handlers bound to it."""


class ConfigError(MockbiError):
    """An invalid configuration value (unknown vendor, unknown scenario, bad port...)."""


class ApiError(MockbiError):
    """An error response in the vendor's own envelope.

    ``body`` is JSON-serialisable data, or ``bytes``/``str`` for non-JSON bodies (with ``content_type``);
    ``None`` means an empty body.
    """

    status: int = 500
    code: str = "error"

    def __init__(
        self,
        status: int,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = "application/json",
        code: str | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type if body is not None else None
        if code is not None:
            self.code = code
        super().__init__(f"{status} {code or self.code}: {body!r}"[:500])
