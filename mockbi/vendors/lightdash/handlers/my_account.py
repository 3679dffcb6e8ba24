"""My Account: the authenticated user, registration, email verification, warehouse credentials,
personal access tokens, plus the extension routes ``/api/v1/login``, ``/api/v1/health`` and
``/api/v1/user/me/personal-access-tokens``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import cascade
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.auth import SESSION_COOKIE, cookie_value
from mockbi.vendors.lightdash.errors import (
    PLAIN_TEXT,
    AlreadyExistsError,
    AuthorizationError,
    DeactivatedAccountError,
    ForbiddenError,
    NotFoundError,
    ParameterError,
    ValidateError,
)
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore, iso
from mockbi.vendors.lightdash.wire import people

registry = Registry("lightdash")
OTP_MINUTES = 15
OTP_MAX_ATTEMPTS = 5


def _session_reply(store: LightdashStore, user: m.User, results: Any) -> Reply:
    sid = store.open_session(user.userUuid)
    cookie = f"{SESSION_COOKIE}={cookie_value(sid)}; Path=/; HttpOnly; SameSite=Lax"
    return Reply(body=results, headers={"Set-Cookie": cookie})


def _parse(value: str) -> datetime:
    """An ISO 8601 date or date-time; one without an offset is UTC (the server's time zone)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@registry.operation("GetAuthenticatedUser")
def get_authenticated_user(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's profile plus its CASL ``abilityRules``."""
    user = me(req)
    return people.lightdash_user(store, user) | {"abilityRules": people.ability_rules(store, user)}


@registry.operation("RegisterUser")
def register_user(store: LightdashStore, req: OpRequest) -> Any:
    """Register with an email, or activate an invited user with its invite code; logs the user in."""
    data = body(req)
    if "inviteCode" in data:
        user = next((u for u in store.users.values() if u.inviteCode == data["inviteCode"]), None)
        if user is None:
            raise NotFoundError("No invite link found")
        if user.inviteExpiresAt and user.inviteExpiresAt < store.now_iso():
            raise ForbiddenError("Invite link expired")
        user.inviteCode, user.inviteExpiresAt, user.isPending, user.isSetupComplete = None, None, False, True
    else:
        if any(u.email == data["email"] for u in store.users.values()):
            raise AlreadyExistsError("Email already in use")
        now = store.now_iso()
        user = m.User(userUuid=store.new_uuid(), email=data["email"], firstName="", lastName="",
                      password=data["password"], organizationUuid=None, role="member", createdAt=now,
                      updatedAt=now, isEmailVerified=False, isSetupComplete=False)
        store.users[user.userUuid] = user
    user.firstName, user.lastName, user.password = data["firstName"], data["lastName"], data["password"]
    user.updatedAt = store.now_iso()
    return _session_reply(store, user, people.lightdash_user(store, user))


def _email_status(store: LightdashStore, user: m.User) -> dict[str, Any]:
    status: dict[str, Any] = {"email": user.email, "isVerified": user.isEmailVerified}
    otp = store.email_otps.get(user.userUuid)
    if otp is not None and not user.isEmailVerified:
        status["otp"] = {"createdAt": otp.createdAt, "numberOfAttempts": otp.numberOfAttempts,
                         "expiresAt": otp.expiresAt, "isExpired": otp.expiresAt < store.now_iso(),
                         "isMaxAttempts": otp.numberOfAttempts >= OTP_MAX_ATTEMPTS}
    return status


@registry.operation("CreateEmailOneTimePasscode")
def create_email_one_time_passcode(store: LightdashStore, req: OpRequest) -> Any:
    """Send a new one-time passcode to the caller's email (visible through the admin API)."""
    user = me(req)
    if user.isEmailVerified:
        raise ParameterError("Email is already verified")
    store.email_otps[user.userUuid] = m.EmailOtp(passcode=store.token(6, "0123456789"), createdAt=store.now_iso(),
                                                 expiresAt=store.now_iso(OTP_MINUTES / 1440))
    return _email_status(store, user)


@registry.operation("GetEmailVerificationStatus")
def get_email_verification_status(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's email verification status; a correct ``passcode`` verifies it."""
    user = me(req)
    passcode = req.query.get("passcode")
    otp = store.email_otps.get(user.userUuid)
    if passcode is not None and otp is not None and not user.isEmailVerified:
        if otp.passcode == passcode and otp.expiresAt >= store.now_iso() \
                and otp.numberOfAttempts < OTP_MAX_ATTEMPTS:
            user.isEmailVerified = True
            store.email_otps.pop(user.userUuid)
        else:
            otp.numberOfAttempts += 1
    return _email_status(store, user)


@registry.operation("ListMyAvailableOrganizations")
def list_my_available_organizations(store: LightdashStore, req: OpRequest) -> Any:
    """Organizations whose allowed email domains match the caller's email."""
    user = me(req)
    domain = user.email.rsplit("@", 1)[-1].lower()
    return [{"organizationUuid": o.organizationUuid, "name": o.name,
             "membersCount": len(store.org_members(o.organizationUuid))}
            for o in store.organizations.values()
            if domain in o.emailDomains and o.organizationUuid != user.organizationUuid]


@registry.operation("JoinOrganization")
def join_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Join an organization that allows the caller's email domain."""
    user = me(req)
    org = store.organizations.get(req.path["organizationUuid"])
    if org is None:
        raise NotFoundError("Organization not found")
    if user.organizationUuid is not None:
        raise ForbiddenError("User already has an organization")
    if user.email.rsplit("@", 1)[-1].lower() not in org.emailDomains:
        raise ForbiddenError("User email domain is not allowed to join this organization")
    user.organizationUuid, user.role = org.organizationUuid, org.emailDomainsRole
    return None


@registry.operation("DeleteMe")
def delete_me(store: LightdashStore, req: OpRequest) -> Any:
    """Delete the caller's account (not the organization's last admin)."""
    user = me(req)
    admins = [u for u in store.org_members(user.organizationUuid) if u.role == "admin" and u.isActive]
    if user.role == "admin" and len(admins) == 1 and len(store.org_members(user.organizationUuid)) > 1:
        raise ForbiddenError("Organization must have at least one admin")
    cascade.delete_user(store, user.userUuid)
    return None


@registry.operation("getWarehouseCredentials")
def get_warehouse_credentials(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's personal warehouse credentials (secrets left out)."""
    user = me(req)
    return [people.warehouse_credentials(c) for c in store.warehouse_credentials.values()
            if c.userUuid == user.userUuid]


@registry.operation("createWarehouseCredentials")
def create_warehouse_credentials(store: LightdashStore, req: OpRequest) -> Any:
    """Save personal warehouse credentials."""
    user, data = me(req), body(req)
    now = store.now_iso()
    creds = m.UserWarehouseCredentials(uuid=store.new_uuid(), userUuid=user.userUuid, name=data["name"],
                                       credentials=dict(data["credentials"]), createdAt=now, updatedAt=now)
    store.warehouse_credentials[creds.uuid] = creds
    return people.warehouse_credentials(creds)


def _own_credentials(store: LightdashStore, req: OpRequest) -> m.UserWarehouseCredentials:
    creds = store.warehouse_credentials.get(req.path["uuid"])
    if creds is None or creds.userUuid != me(req).userUuid:
        raise NotFoundError("Warehouse credentials not found")
    return creds


@registry.operation("updateWarehouseCredentials")
def update_warehouse_credentials(store: LightdashStore, req: OpRequest) -> Any:
    """Replace the name and credentials of one of the caller's warehouse credentials."""
    creds, data = _own_credentials(store, req), body(req)
    creds.name, creds.credentials, creds.updatedAt = data["name"], dict(data["credentials"]), store.now_iso()
    return people.warehouse_credentials(creds)


@registry.operation("deleteWarehouseCredentials")
def delete_warehouse_credentials(store: LightdashStore, req: OpRequest) -> Any:
    """Delete one of the caller's warehouse credentials."""
    creds = _own_credentials(store, req)
    del store.warehouse_credentials[creds.uuid]
    for prefs in store.credentials_preferences.values():
        for project_uuid in [p for p, c in prefs.items() if c == creds.uuid]:
            del prefs[project_uuid]
    return None


@registry.operation("getLoginOptions")
def get_login_options(store: LightdashStore, req: OpRequest) -> Any:
    """How a user may log in (email and password on this server)."""
    return {"showOptions": ["email"], "forceRedirect": False}


@registry.operation("Rotate personal access token")
def rotate_personal_access_token(store: LightdashStore, req: OpRequest) -> Any:
    """Issue a new secret for one of the caller's expiring tokens; the old secret stops working."""
    user = me(req)
    raw = body(req)["expiresAt"]
    try:  # tsoa validates the Date body field before the controller runs
        expires = _parse(raw)
    except ValueError as exc:
        raise ValidateError("", {"body.expiresAt": {
            "message": "invalid ISO 8601 datetime format, i.e. YYYY-MM-DDTHH:mm:ss", "value": raw}}) from exc
    pat = store.tokens.get(req.path["personalAccessTokenUuid"])
    if pat is None or pat.userUuid != user.userUuid:
        raise NotFoundError("Personal access token not found")
    now = store.now()
    if pat.expiresAt is None:
        raise ParameterError("Token with no expiration date cannot be rotated")
    if pat.rotatedAt is not None and _parse(pat.rotatedAt) > now - timedelta(hours=1):
        raise ParameterError("Token was already rotated in the last hour")
    if expires <= now:
        raise ParameterError("Expiration date must be in the future")
    pat.token = store.token(32, "0123456789abcdef")
    pat.rotatedAt, pat.expiresAt = iso(now), iso(expires)
    return people.personal_access_token(pat, with_token=True)


# --- extension routes (outside the public spec, used by real clients) -------------------------------
@registry.operation("listPersonalAccessTokensExt")
def list_personal_access_tokens_ext(store: LightdashStore, req: OpRequest) -> Any:
    """The caller's personal access tokens (secrets never listed)."""
    user = me(req)
    return [people.personal_access_token(t) for t in store.tokens.values() if t.userUuid == user.userUuid]


@registry.operation("createPersonalAccessTokenExt")
def create_personal_access_token_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Create a personal access token; the secret is only shown in this response."""
    user, data = me(req), body(req)
    expires = data.get("expiresAt")
    if expires is not None:
        try:
            expires_dt = _parse(str(expires))
        except ValueError as exc:
            raise ParameterError("expiresAt must be a date-time") from exc
        if expires_dt <= store.now():
            raise ParameterError("Expiration date must be in the future")
        expires = iso(expires_dt)
    pat = store.issue_token(user.userUuid, str(data.get("description", "")), expires)
    return people.personal_access_token(pat, with_token=True)


@registry.operation("getHealthExt")
def get_health_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Server health and configuration, as the web app reads it at start-up."""
    return {"healthy": True, "mode": "default", "version": "0.1411.0", "localDbtEnabled": False,
            "defaultProject": None, "isAuthenticated": req.principal is not None,
            "requiresOrgRegistration": not store.organizations, "latest": {"version": "0.1411.0"},
            "hasEmailClient": True, "hasSlack": False, "hasGithub": True, "hasDbtSemanticLayer": False,
            "siteUrl": req.base_url, "staticIp": "", "hasGroups": True, "hasExtendedUsageAnalytics": False,
            "auth": {"disablePasswordAuthentication": False, "enableGroupSync": False,
                     "enableOidcLinking": False, "google": {"enabled": False, "loginPath": "/login/google"},
                     "okta": {"enabled": False, "loginPath": "/login/okta"},
                     "oneLogin": {"enabled": False, "loginPath": "/login/oneLogin"},
                     "azuread": {"enabled": False, "loginPath": "/login/azuread"},
                     "oidc": {"enabled": False, "loginPath": "/login/oidc"},
                     "pat": {"maxExpirationTimeInDays": None}}}


@registry.operation("loginExt")
def login_ext(store: LightdashStore, req: OpRequest) -> Any:
    """Email/password login: sets the ``connect.sid`` session cookie and returns the user. passport-local
    reads ``email``/``password`` from the body, else the query string; a missing one is its plain-text 400."""
    data = body(req)
    email_raw = data.get("email") or req.raw_query.get("email")
    password = data.get("password") or req.raw_query.get("password")
    if not email_raw or not password:
        return Reply(body="Bad Request", status=400, content_type=PLAIN_TEXT)
    email = str(email_raw).strip().lower()
    user = next((u for u in store.users.values() if u.email.lower() == email), None)
    if user is None or user.password != password or user.isPending:
        raise AuthorizationError("Email and password not recognized")
    if not user.isActive:
        raise DeactivatedAccountError()
    return _session_reply(store, user, people.lightdash_user(store, user))
