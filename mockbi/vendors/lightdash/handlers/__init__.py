"""Lightdash handlers, one module per OpenAPI tag; each module has its own ``registry`` and this
package merges them. To add a tag: write ``handlers/<tag>.py`` with ``registry = Registry("lightdash")``,
import it here and name its registry in ``Registry.merged`` below. Modules whose name starts with ``_``
are helpers and bind nothing.

Every handler runs behind one check the service makes in Postgres: a path or query value holding U+0000
reaches a SQL parameter, Postgres refuses it, and the service answers its generic 500 (after tsoa's
validation, so a 422 still comes first). JSON bodies get the same check in ``bodies.py``."""

from __future__ import annotations

import functools
from typing import Any

from mockbi.core.messages import OpRequest
from mockbi.core.registry import Handler, Registry
from mockbi.vendors.lightdash.errors import UnexpectedServerError
from mockbi.vendors.lightdash.handlers import (
    as_code,
    catalog,
    charts,
    comments,
    content,
    csv_jobs,
    dashboards,
    explores,
    git_integration,
    github_app,
    groups,
    integrations,
    metrics_explorer,
    my_account,
    notifications,
    organizations,
    project_access,
    projects,
    promotion,
    queries,
    schedulers,
    share,
    spaces,
    ssh,
    tags,
    user_attributes,
    validation,
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


registry = Registry.merged(
    "lightdash",
    my_account.registry,
    organizations.registry,
    groups.registry,
    projects.registry,
    project_access.registry,
    spaces.registry,
    tags.registry,
    user_attributes.registry,
    share.registry,
    ssh.registry,
    notifications.registry,
    charts.registry,
    dashboards.registry,
    schedulers.registry,
    explores.registry,
    queries.registry,
    csv_jobs.registry,
    catalog.registry,
    metrics_explorer.registry,
    comments.registry,
    content.registry,
    validation.registry,
    git_integration.registry,
    integrations.registry,
    github_app.registry,
    promotion.registry,
    as_code.registry,
    wrap=_refusing_nul,
)
