"""How Lightdash 0.1411.0 decides who is calling, per the operation's ``security`` in the contract.

* ``[]`` (none): no credential needed; a valid one is still recognised.
* ``[{"ApiKey": []}, {"SessionCookie": []}]`` (session-or-PAT): a valid ``connect.sid`` session wins;
  otherwise ``Authorization: ApiKey <token>`` (prefix exact, header name case-insensitive). No header,
  or another scheme, gets passport's **plain-text** 401 ``Unauthorized``; an unknown, expired or
  deactivated user's token gets JSON 401 AuthorizationError "Personal access token is not recognised".
* ``[{"SessionCookie": []}]`` (session-only): only a session works; anything else is JSON 401
  AuthorizationError "Failed to authorize user".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from mockbi.vendors.lightdash.errors import AuthorizationError, plain_unauthorized

if TYPE_CHECKING:
    from aiohttp import web

    from mockbi.core.contracts import Operation
    from mockbi.vendors.lightdash.models import User
    from mockbi.vendors.lightdash.store import LightdashStore

SESSION_COOKIE = "connect.sid"
API_KEY_PREFIX = "ApiKey "


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: the user and how they proved it (``session`` or ``pat``)."""

    user: User
    via: str
    token_uuid: str | None = None

    @property
    def user_uuid(self) -> str:
        return self.user.userUuid


def auth_class(op: Operation) -> str:
    """``none``, ``session-only`` or ``session-or-PAT`` from the operation's security requirements."""
    schemes = {name for req in (op.security or []) for name in req}
    if not schemes:
        return "none"
    if schemes == {"SessionCookie"}:
        return "session-only"
    return "session-or-PAT"


def session_id(cookie: str) -> str:
    """The session id inside an express-session cookie value (``s:<sid>.<signature>``, maybe URL-encoded)."""
    value = unquote(cookie)
    if value.startswith("s:"):
        value = value[2:].rsplit(".", 1)[0]
    return value


def cookie_value(sid: str) -> str:
    """The ``connect.sid`` value for a session id, signed the way express-session writes it."""
    return f"s%3A{sid}.mockbi"


def authenticate(request: web.Request, store: LightdashStore, op: Operation) -> Principal | None:
    kind = auth_class(op)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        user = store.session_user(session_id(cookie))
        if user is not None:
            return Principal(user, "session")
    header = request.headers.get("Authorization")
    if kind == "none":
        if header and header.startswith(API_KEY_PREFIX):
            found = store.token_user(header[len(API_KEY_PREFIX):].strip())
            if found is not None:
                return Principal(found[0], "pat", found[1].uuid)
        return None
    if kind == "session-only":
        raise AuthorizationError("Failed to authorize user")
    if not header or not header.startswith(API_KEY_PREFIX):
        raise plain_unauthorized()
    found = store.token_user(header[len(API_KEY_PREFIX):].strip())
    if found is None:
        raise AuthorizationError("Personal access token is not recognised")
    user, pat = found
    pat.lastUsedAt = store.now_iso()
    return Principal(user, "pat", pat.uuid)
