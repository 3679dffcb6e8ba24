"""Locks on the admin API and console (``/__mockbi/``), and CORS for browser clients of the vendor routes.

Admin requests pass these checks, in order:

1. ``Host`` must name this server: on a loopback bind only loopback names (and ``allowed_hosts``) are
   accepted, which defeats DNS rebinding; on any other bind, ``allowed_hosts`` when given.
2. A cross-site ``Origin`` (one that is not the server itself nor a ``cors_origins`` entry) is refused,
   so a web page cannot drive the admin API from a developer's browser.
3. A write with a body must be ``application/json`` (a form or ``text/plain`` post is what a hostile page
   can send without a preflight).
4. With an ``admin_token``, every admin request but the console page, its static files and ``health``
   must carry ``Authorization: Bearer TOKEN`` (compared in constant time) or gets 401.

Vendor routes are never affected by the admin checks. ``cors_origins`` (or ``*``) makes the vendor routes
answer preflights and carry the CORS headers the vendors' browser clients need.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

import orjson
from aiohttp import web

PREFIX = "/__mockbi"
PREFIX_SLASH = PREFIX + "/"
#: admin paths a browser loads without credentials: they hold nothing secret
OPEN_PATHS = frozenset({PREFIX, f"{PREFIX}/", f"{PREFIX}/health"})
OPEN_PREFIXES = (f"{PREFIX}/console/",)
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
#: request headers whose values the journal masks unless revealed: by name, and any whose name says it carries a
#: credential (``X-Api-Key``, a vendor's ``…-Admin-Secret`` or ``…-Token``), so no vendor needs listing here
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
SENSITIVE_WORDS = ("secret", "token", "api-key", "apikey", "password", "session")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` names and loopback addresses (``127.0.0.0/8``, ``::1``)."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _refuse(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, body=orjson.dumps({"error": message}), content_type="application/json",
                        headers=headers)


def _host_name(host_header: str) -> str:
    """``example.com:8080`` → ``example.com``; ``[::1]:8080`` → ``::1``."""
    return (urlsplit(f"//{host_header}").hostname or "").lower()


class AdminGuard:
    """The admin checks of one app, built from its config (see the module docstring)."""

    def __init__(self, *, bind_host: str, token: str | None, allowed_hosts: tuple[str, ...],
                 cors_origins: tuple[str, ...]) -> None:
        self.loopback_only = is_loopback(bind_host)
        self.token = token
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.cors_origins = frozenset(o.rstrip("/").lower() for o in cors_origins)

    def host_allowed(self, host_header: str) -> bool:
        name = _host_name(host_header)
        if name in self.allowed_hosts:
            return True
        if self.loopback_only:
            return is_loopback(name)
        return not self.allowed_hosts

    def origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        parts = urlsplit(origin.lower())
        if parts.netloc and parts.netloc == request.host.lower():
            return True  # the console itself
        return origin.rstrip("/").lower() in self.cors_origins

    def token_ok(self, request: web.Request) -> bool:
        if self.token is None:
            return True
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def check(self, request: web.Request) -> web.Response | None:
        """The refusal for an admin request, or ``None`` when it may proceed."""
        if not self.host_allowed(request.host):
            return _refuse(421, f"the admin API does not answer for host {request.host!r}; "
                                "use the address mockbi is bound to (or --allowed-host)")
        if not self.origin_allowed(request):
            return _refuse(403, f"cross-site admin requests are refused (Origin {request.headers['Origin']!r})")
        if request.path in OPEN_PATHS or request.path.startswith(OPEN_PREFIXES):
            return None
        if request.method in WRITE_METHODS and request.body_exists and request.content_type != "application/json":
            return _refuse(415, f"admin writes must be application/json, not {request.content_type!r}")
        if not self.token_ok(request):
            return _refuse(401, "this mockbi admin API needs 'Authorization: Bearer <admin token>'",
                           {"WWW-Authenticate": 'Bearer realm="mockbi admin"'})
        return None

    # --- CORS on vendor routes -------------------------------------------------------------------------
    def cors_origin(self, request: web.Request) -> str | None:
        origin = request.headers.get("Origin")
        if origin is None or not self.cors_origins:
            return None
        if "*" in self.cors_origins:
            return "*"
        return origin if origin.rstrip("/").lower() in self.cors_origins else None

    def before(self, request: web.Request) -> tuple[web.Response | None, str | None]:
        """(the guard's own answer, if it has one: an admin refusal or a CORS preflight; the CORS origin to
        allow on the handler's answer to a vendor request, if any)."""
        if request.path == PREFIX or request.path.startswith(PREFIX_SLASH):
            return self.check(request), None
        origin = self.cors_origin(request)
        if origin is None:
            return None, None
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self.preflight(request, origin), None
        return None, origin

    @staticmethod
    def allow(response: web.StreamResponse, origin: str) -> None:
        """The CORS headers of an allowed origin on a vendor route's answer."""
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "*"
        if origin != "*":
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers.add("Vary", "Origin")

    def preflight(self, request: web.Request, origin: str) -> web.Response:
        asked = request.headers.get("Access-Control-Request-Headers", "")
        headers = {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": CORS_METHODS,
                   "Access-Control-Max-Age": "600", "Vary": "Origin"}
        if asked:
            headers["Access-Control-Allow-Headers"] = asked
        if origin != "*":
            headers["Access-Control-Allow-Credentials"] = "true"
        return web.Response(status=204, headers=headers)


def mask_headers(headers: dict[str, str]) -> dict[str, str]:
    """Credentials in journaled request headers, masked: the scheme stays, the secret does not."""
    masked = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered in SENSITIVE_HEADERS or any(word in lowered for word in SENSITIVE_WORDS):
            scheme, sep, _ = value.partition(" ")
            value = f"{scheme} ****" if sep and lowered.endswith("authorization") else "****"
        masked[name] = value
    return masked
