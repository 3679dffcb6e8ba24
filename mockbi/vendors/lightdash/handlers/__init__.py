"""Lightdash handlers, one module per OpenAPI tag; each module has its own ``registry`` and this
package merges them. To add a tag: write ``handlers/<tag>.py`` with ``registry = Registry("lightdash")``
and list it in ``MODULES``."""

from __future__ import annotations

import importlib

from mockbi.core.registry import Registry

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

registry = Registry("lightdash")
for _name in MODULES:
    registry.include(importlib.import_module(f"{__name__}.{_name}").registry)
