"""Authentication and the checks PostHog runs before validation, in PostHog's order:

    renderer negotiation (404 format / 406 Accept) → credentials (401)
    → session-only action / scope (403, before any lookup) → project (404 / 403)
    → object lookup (404) → object permission (403)

The hook is async so it can read a ``personal_api_key`` sent in the body (and parse the body the way the
real server does when it looks there: a malformed or unsupported body fails before authentication).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from mockbi.core.errors import ApiError
from mockbi.core.request_body import read_body
from mockbi.vendors.posthog import errors, negotiation
from mockbi.vendors.posthog.bodies import decode
from mockbi.vendors.posthog.models import ApiKey, Dashboard, Project, User
from mockbi.vendors.posthog.permissions import can_edit

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation
    from mockbi.vendors.posthog.store import PostHogStore

SESSION_COOKIE = "sessionid"
#: operations whose JSON responses the ``txt`` (server-sent events) renderer may replace
TXT_CAPABLE_EXCLUDED = frozenset({"dashboards_stream_tiles_retrieve"})
#: operations that must edit the dashboard they name (the sharing writes run the same check on a
#: restricted dashboard; on an unrestricted one everybody can edit, so one rule covers both)
EDITING = frozenset({"dashboards_partial_update", "dashboards_update", "dashboards_move_tile_partial_update",
           "dashboards_collaborators_create", "dashboards_collaborators_destroy",
           "dashboards_sharing_partial_update", "dashboards_sharing_update", "dashboards_sharing_refresh_create",
           "dashboards_sharing_passwords_create", "dashboards_sharing_passwords_destroy"})


@dataclass(slots=True)
class Principal:
    """Who is calling, through what, and what the path resolved to."""

    user: User
    key: ApiKey | None
    project: Project | None = None
    dashboard: Dashboard | None = None
    txt: bool = False

    def copy(self) -> Principal:
        return Principal(self.user, self.key, self.project, self.dashboard, self.txt)


def _pak_scopes(op: Operation) -> list[str] | None:
    """The scopes a personal API key needs, or ``None`` when the operation refuses personal keys."""
    for requirement in op.security or []:
        if "PersonalAPIKey" in requirement:
            return list(requirement["PersonalAPIKey"])
    return None


def has_scope(key: ApiKey, needed: str) -> bool:
    if "*" in key.scopes or needed in key.scopes:
        return True
    obj, _, action = needed.partition(":")
    return action == "read" and f"{obj}:write" in key.scopes


def _negotiate(request: web.Request, op: Operation) -> bool:
    """DRF's renderer negotiation (``negotiation.py``); True when the SSE (``txt``) renderer renders the
    answer. The dashboard viewset's operations (those declaring ``format``) have both renderers."""
    has_format = "format" in op.param_schemas.get("query", {}).get("properties", ())
    renderers = negotiation.DASHBOARD_RENDERERS if has_format else negotiation.DEFAULT_RENDERERS
    try:
        chosen = negotiation.select(request.headers.getall("Accept", []), request.query.get("format"), renderers)
    except negotiation.UnknownFormat:
        raise errors.not_found() from None
    except negotiation.NotAcceptable:
        raise errors.not_acceptable() from None
    return chosen == "txt" and op.operation_id not in TXT_CAPABLE_EXCLUDED


def txt_error(request: web.Request, op: Operation, err: ApiError) -> ApiError:
    """Any error of an operation whose caller negotiated the txt renderer is rendered by it too."""
    try:
        txt = _negotiate(request, op)
    except ApiError:
        return err
    return errors.as_txt(err) if txt else err


#: principals kept per world between writes (distinct GET requests' credentials and targets)
KEPT_PRINCIPALS = 1024


async def authenticate(request: web.Request, store: PostHogStore, op: Operation) -> Principal:
    """Who calls, and what the path resolves to (or the error DRF answers). A GET without a body is resolved
    once per (operation, target, credentials, Accept) until a write: it reads only what GETs never change
    (keys, users, memberships, dashboards' existence and rights), and its one write, the key's
    ``last_used_at``, is made on every call. Each call gets its own ``Principal``."""
    if request.method not in ("GET", "HEAD") or request.body_exists:
        return await _resolve(request, store, op)
    headers = request.headers
    key = (op.operation_id, request.method, request.raw_path, headers.get("Authorization"), headers.get("Cookie"),
           tuple(headers.getall("Accept", ())))
    kept: dict[tuple[Any, ...], Principal] = store.memo(("principals",), dict)
    found = kept.get(key)
    if found is None:
        resolved = await _resolve(request, store, op)
        if len(kept) >= KEPT_PRINCIPALS:
            kept.clear()
        kept[key] = resolved.copy()
        return resolved
    if found.key is not None:
        found.key.last_used_at = store.now()
    return found.copy()


async def _resolve(request: web.Request, store: PostHogStore, op: Operation) -> Principal:
    txt = _negotiate(request, op)
    try:
        return await _authenticate(request, store, op, txt)
    except ApiError as err:
        raise (errors.as_txt(err) if txt else err) from None


async def method_not_allowed(request: web.Request, store: PostHogStore, op: Operation) -> ApiError:
    """DRF authenticates before it looks up the method handler: 401 first, then the 405 body."""
    await _credentials(request, store, op)
    return errors.hog(405, "method_not_allowed", f'Method "{request.method}" not allowed.',
                        type_="invalid_request")


async def _body(request: web.Request, op: Operation) -> Any:
    """The body as DRF's parsers see it when authentication or the queryset peeks at ``request.data``: parse
    errors count, the serializer's checks do not (they come after the 401/403/404)."""
    return decode(op, await read_body(request), validate=False) if request.body_exists else None


async def _authenticate(request: web.Request, store: PostHogStore, op: Operation, txt: bool) -> Principal:
    given = _given_key(request)  # the common case needs no body: no coroutine to await
    key, user = _key_owner(store, given) if given is not None else await _credentials(request, store, op)
    needed = _pak_scopes(op)
    if key is not None:
        if needed is None:
            raise errors.permission_denied("This action does not support personal API key access")
        for scope in needed:
            if not has_scope(key, scope):
                raise errors.permission_denied(f"API key missing required scope '{scope}'")
    principal = Principal(user=user, key=key, txt=txt)
    raw_project = request.match_info.get("project_id")
    if raw_project is None:
        return principal
    project = _project(store, raw_project, user)
    if key is not None and key.scoped_teams is not None and project.id not in key.scoped_teams:
        raise errors.permission_denied(f"API key does not have access to the requested project: ID {project.id}.")
    if not store.is_member(user, project):
        raise errors.permission_denied("You don't have access to the project.")
    principal.project = project
    if op.operation_id == "dashboards_destroy":
        return principal  # hard delete is refused for any id, without a lookup
    raw_id = request.match_info.get("id") or request.match_info.get("dashboard_id")
    if raw_id is None:
        return principal
    missing = "Not found." if "id" in request.match_info else "Dashboard not found."
    include_deleted = False
    if op.operation_id in ("dashboards_partial_update", "dashboards_update"):
        body = await _body(request, op)
        include_deleted = isinstance(body, dict) and body.get("deleted") is False
    dashboard = _dashboard(store, project, raw_id, include_deleted)
    if dashboard is None:
        raise errors.not_found(missing)
    principal.dashboard = dashboard
    if op.operation_id in EDITING and not can_edit(store, user, dashboard):
        raise errors.permission_denied("You don't have edit permissions for this dashboard.")
    return principal


def _given_key(request: web.Request) -> tuple[str, str] | None:
    """(personal API key, where it was found) from the header or the query string, which come first."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token and not token.startswith("pha_"):
        return token, "Authorization header"
    if "personal_api_key" in request.query:
        return request.query["personal_api_key"], "query string"
    return None


async def _credentials(request: web.Request, store: PostHogStore, op: Operation) -> tuple[ApiKey | None, User]:
    given = _given_key(request)
    if given is None:
        session = request.cookies.get(SESSION_COOKIE)
        user_id = store.sessions.get(session or "")
        if user_id is not None and store.users[user_id].is_active:
            return None, store.users[user_id]
        body = await _body(request, op)
        if isinstance(body, dict) and isinstance(body.get("personal_api_key"), str):
            given = body["personal_api_key"], "body"
    return _key_owner(store, given)


def _key_owner(store: PostHogStore, given: tuple[str, str] | None) -> tuple[ApiKey, User]:
    """The key and its active owner (stamping the key's ``last_used_at``), or the 401 DRF answers."""
    if given is None:
        raise errors.not_authenticated()
    value, source = given
    key = store.api_keys.get(value)
    if key is None or not store.users[key.user_id].is_active:
        raise errors.authentication_failed(f"Personal API key found in request {source} is invalid.")
    key.last_used_at = store.now()
    return key, store.users[key.user_id]


def _project(store: PostHogStore, raw: str, user: User) -> Project:
    if raw == "@current":
        pid = user.current_project_id
    else:
        try:
            pid = int(raw)
        except ValueError:
            raise errors.not_found("Project not found.") from None
    project = store.projects.get(pid) if pid is not None else None
    if project is None:
        raise errors.not_found("Project not found.")
    return project


def _dashboard(store: PostHogStore, project: Project, raw: str, include_deleted: bool) -> Dashboard | None:
    try:
        dashboard_id = int(raw)
    except ValueError:
        return None
    dashboard = store.dashboards.get(dashboard_id)
    if dashboard is None or dashboard.team_id != project.id or (dashboard.deleted and not include_deleted):
        return None
    return dashboard
