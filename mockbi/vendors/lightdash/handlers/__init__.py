"""Lightdash handlers, one module per OpenAPI tag; each module has its own ``registry`` and this
package merges them. To add a tag: write ``handlers/<tag>.py`` with ``registry = Registry("lightdash")``
and list it in ``MODULES``.

Every handler runs behind one check the service makes in Postgres: a path or query value holding U+0000
reaches a SQL parameter, Postgres refuses it, and the service answers its generic 500 (after tsoa's
validation, so a 422 still comes first). JSON bodies get the same check in ``bodies.py``."""

from __future__ import annotations

import functools
import importlib
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Handler, Registry
from mockbi.vendors.lightdash.errors import UnexpectedServerError

MODULES = (
    "my_account",
    "organizations",
    "groups",
    "projects",
    "project_access",
    "spaces",
    "tags",
    "user_attributes",
    "share",
    "ssh",
    "notifications",
    "charts",
    "dashboards",
    "schedulers",
    "explores",
    "queries",
    "csv_jobs",
    "catalog",
    "metrics_explorer",
    "comments",
    "content",
    "validation",
    "git_integration",
    "integrations",
    "github_app",
    "promotion",
    "as_code",
)



def _refusing_nul(handler: Handler) -> Handler:
    @functools.wraps(handler)
    def checked(store: Any, req: OpRequest) -> Any:
        values = [str(v) for v in req.path.values()] + [str(v) for v in req.raw_query.values()]
        if any("\x00" in v for v in values):
            raise UnexpectedServerError(f"{UnexpectedServerError.default_message} A path or query value holds a "
                                        "U+0000 character, which Postgres cannot take.")
        return handler(store, req)

    return checked


_merged = Registry("lightdash")
for _name in MODULES:
    _merged.include(importlib.import_module(f"{__name__}.{_name}").registry)
registry = Registry("lightdash")
for _op_id in _merged:
    _binding = _merged.get(_op_id)
    assert _binding is not None
    registry.operation(_op_id)(_refusing_nul(_binding.handler))
