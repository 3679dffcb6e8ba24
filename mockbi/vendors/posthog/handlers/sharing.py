"""Dashboard sharing: the configuration (read creates nothing), passwords and token refresh."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.posthog import errors, wire
from mockbi.vendors.posthog.handlers.dashboards import _who
from mockbi.vendors.posthog.models import ADVANCED_PERMISSIONS, SharePassword, SharingConfig
from mockbi.vendors.posthog.store import URLSAFE, PostHogStore

registry = Registry("posthog")

SETTINGS_KEYS = ("detailed", "hideExtraDetails", "legend", "noHeader", "showInspector", "whitelabel")
PASSWORD_FEATURE = "Password management requires the Advanced Permissions feature"
LAX_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
LAX_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
NOTE_MAX = 100


def _config(store: PostHogStore, req: OpRequest) -> tuple[int, SharingConfig | None]:
    who = _who(req)
    assert who.dashboard is not None
    return who.dashboard.id, store.sharing.get(who.dashboard.id)


@registry.operation("dashboards_sharing_list")
def dashboards_sharing_list(store: PostHogStore, req: OpRequest) -> Any:
    """One object; an unsaved configuration is not created and shows a new access_token on every read."""
    _, config = _config(store, req)
    if config is None:
        return wire.sharing(store, None, store.access_token(), saved=False)
    return wire.sharing(store, config, config.access_token, saved=True)


def _lax_bool(value: Any) -> bool:
    """A value pydantic accepts for a ``bool`` field in lax mode (else ValueError)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in LAX_TRUE | LAX_FALSE:
        return value.lower() in LAX_TRUE
    raise ValueError(value)


def _settings(raw: Any) -> dict[str, bool] | None:
    """The known settings keys, validated as booleans and without nulls; 400 "Invalid settings format"."""
    if raw is None:
        return None
    try:
        if not isinstance(raw, dict):
            raise ValueError(raw)
        return {k: _lax_bool(raw[k]) for k in SETTINGS_KEYS if raw.get(k) is not None}
    except ValueError:
        raise errors.invalid("Invalid settings format", "settings") from None


def _save(store: PostHogStore, req: OpRequest) -> Any:
    who = _who(req)
    assert who.project is not None
    dashboard_id, config = _config(store, req)
    body: dict[str, Any] = req.body or {}
    if body.get("password_required") is True and not store.has_feature(who.project, ADVANCED_PERMISSIONS):
        raise errors.sharing_error(403, "Sharing with password requires the Advanced Permissions feature")
    settings = _settings(body["settings"]) if "settings" in body else None
    if config is None:
        config = SharingConfig(dashboard_id=dashboard_id, created_at=store.now(), access_token=store.access_token())
        store.sharing[dashboard_id] = config
    if "enabled" in body:
        config.enabled = bool(body["enabled"])
    if "password_required" in body:
        config.password_required = bool(body["password_required"])
    if "settings" in body:
        config.settings = settings
    return wire.sharing(store, config, config.access_token, saved=True)


@registry.operation("dashboards_sharing_partial_update")
def dashboards_sharing_partial_update(store: PostHogStore, req: OpRequest) -> Any:
    """PATCH: enable/disable sharing, settings (known keys kept), password_required; saves the configuration."""
    return _save(store, req)


@registry.operation("dashboards_sharing_update")
def dashboards_sharing_update(store: PostHogStore, req: OpRequest) -> Any:
    """PUT: same as PATCH (no field is required)."""
    return _save(store, req)


@registry.operation("dashboards_sharing_refresh_create")
def dashboards_sharing_refresh_create(store: PostHogStore, req: OpRequest) -> Any:
    """Rotate the link: new access_token and created_at, other settings and passwords kept (body ignored)."""
    dashboard_id, old = _config(store, req)
    config = SharingConfig(dashboard_id=dashboard_id, created_at=store.now(), access_token=store.access_token())
    if old is not None:
        config.enabled, config.settings, config.password_required = old.enabled, old.settings, old.password_required
    store.sharing[dashboard_id] = config
    return wire.sharing(store, config, config.access_token, saved=True)


@registry.operation("dashboards_sharing_passwords_create")
def dashboards_sharing_passwords_create(store: PostHogStore, req: OpRequest) -> Reply:
    """201 {id, password, note, created_at, created_by_email}; needs the feature and password_required."""
    who = _who(req)
    assert who.project is not None
    dashboard_id, config = _config(store, req)
    if config is None or not config.password_required:
        raise errors.sharing_error(400, "Password protection must be enabled before creating passwords")
    if not store.has_feature(who.project, ADVANCED_PERMISSIONS):
        raise errors.sharing_error(403, PASSWORD_FEATURE)
    # the body is validated only after both preconditions (SharePasswordCreateSerializer field order)
    body: dict[str, Any] = req.body or {}
    raw = body.get("raw_password") or ""
    if raw and len(raw) < 8:
        raise errors.invalid("Password must be at least 8 characters long.", "raw_password")
    if isinstance(body.get("note"), str) and len(body["note"]) > NOTE_MAX:
        raise errors.invalid(f"Ensure this field has no more than {NOTE_MAX} characters.", "note", "max_length")
    password = raw or store.token(22, URLSAFE)
    record = SharePassword(id=store.next_id("share_password"), dashboard_id=dashboard_id, created_at=store.now(),
                           note=body.get("note") or "", created_by=who.user.id)
    store.share_passwords[record.id] = record
    return Reply(status=201, body={"id": record.id, "password": password, "note": record.note,
                                   "created_at": wire.ts(record.created_at), "created_by_email": who.user.email})


@registry.operation("dashboards_sharing_passwords_destroy")
def dashboards_sharing_passwords_destroy(store: PostHogStore, req: OpRequest) -> Reply:
    """Deactivate a password (204); unknown id 404 "Password not found"."""
    who = _who(req)
    assert who.project is not None
    dashboard_id, _ = _config(store, req)
    if not store.has_feature(who.project, ADVANCED_PERMISSIONS):
        raise errors.sharing_error(403, PASSWORD_FEATURE)
    raw = str(req.path["password_id"])
    record = store.share_passwords.get(int(raw)) if raw.isdigit() else None
    if record is None or record.dashboard_id != dashboard_id or not record.is_active:
        raise errors.not_found("Password not found")
    record.is_active = False
    return Reply.no_content()
