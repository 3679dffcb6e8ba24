"""GitHub App: install it for the organization (302 to GitHub, which comes back to the OAuth callback with
the ``state`` it was given), uninstall it, and list the repositories it can see. Install, uninstall and
the repository list are session-only; the callback needs no auth but reads the session's ``state``."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash.auth import SESSION_COOKIE, session_id
from mockbi.vendors.lightdash.errors import NotFoundError, UnexpectedServerError
from mockbi.vendors.lightdash.handlers._common import me
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")

GITHUB_APP = "lightdash-app"
#: repositories the app was granted besides the organization's dbt repositories
EXTRA_REPOS = ("analytics-docs", "dbt-packages")


def _sid(req: OpRequest) -> str | None:
    cookie = req.cookies.get(SESSION_COOKIE)
    return session_id(cookie) if cookie else None


def _installation(store: LightdashStore, organization_uuid: str | None) -> dict[str, Any]:
    found = store.github_installation
    if found is None or found.get("organizationUuid") != organization_uuid:
        raise NotFoundError("GitHub installation not found")
    return found


@registry.operation("installGithubAppForOrganization")
def install_github_app_for_organization(store: LightdashStore, req: OpRequest) -> Any:
    """302 to GitHub's install page with a fresh ``state`` remembered in the session (org admins)."""
    store.require_org_admin(me(req))
    state = store.nanoid()
    store.github_oauth_states[_sid(req) or ""] = state
    location = f"https://github.com/apps/{GITHUB_APP}/installations/new?state={state}"
    return Reply.no_content(302, headers={"Location": location})


@registry.operation("githubOauthCallback")
def github_oauth_callback(store: LightdashStore, req: OpRequest) -> Any:
    """Record the installation for the session's organization and 302 back to the integrations settings;
    a ``state`` that does not match the session's is a 500 (the controller throws a plain Error)."""
    sid = _sid(req)
    expected = store.github_oauth_states.get(sid) if sid else None
    state = req.query.get("state")
    if not state or state != expected:
        raise UnexpectedServerError("State does not match")
    user = store.session_user(sid or "")
    back = f"{req.base_url}/generalSettings/integrations"
    if req.query.get("setup_action") == "request":
        return Reply.no_content(302, headers={"Location": f"{back}?status=github_request_sent"})
    installation_id = req.query.get("installation_id")
    if user is None or not installation_id:
        raise UnexpectedServerError("Installation id not provided")
    store.github_oauth_states.pop(sid or "", None)
    store.github_installation = {"organizationUuid": user.organizationUuid, "installationId": installation_id,
                                 "createdByUserUuid": user.userUuid, "createdAt": store.now_iso()}
    return Reply.no_content(302, headers={"Location": back})


@registry.operation("uninstallGithubAppForOrganization")
def uninstall_github_app_for_organization(store: LightdashStore, req: OpRequest) -> Any:
    """Forget the organization's GitHub App installation (org admins); ``{"status":"ok"}``."""
    user = me(req)
    store.require_org_admin(user)
    _installation(store, user.organizationUuid)
    store.github_installation = None
    return None


@registry.operation("getGithubListRepositories")
def get_github_list_repositories(store: LightdashStore, req: OpRequest) -> Any:
    """Repositories the installation can access: the organization's dbt repositories and a few more."""
    user = me(req)
    _installation(store, user.organizationUuid)
    names: dict[str, None] = {}
    for project in store.projects.values():
        repo = project.dbtConnection.get("repository")
        if project.organizationUuid == user.organizationUuid and project.dbtConnection.get("type") == "github" \
                and isinstance(repo, str) and "/" in repo:
            names[repo] = None
    owner = next(iter(names), "example/").split("/", 1)[0]
    for extra in EXTRA_REPOS:
        names.setdefault(f"{owner}/{extra}", None)
    return [{"ownerLogin": full.split("/", 1)[0], "fullName": full, "name": full.split("/", 1)[1]} for full in names]
