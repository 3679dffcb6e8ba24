"""What every robustness test checks after hostile traffic: the server is healthy, the journal renders,
nothing logged a traceback, and every stored object of every vendor is still readable over HTTP."""

from __future__ import annotations

import logging
import threading
from typing import Any

import requests

from mockbi.server import ServerThread

TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "<html", "<!DOCTYPE")
HASHBOARD_WORLD = """query($id: ID!) { project(projectId: $id) { id name
  models { grn name spec viewsLastTwoWeeks savedExplorations { grn name spec } }
  metrics { grn name spec } dashboards { grn name spec } users { id } roles { __typename } } }"""
HASURA_WORLD = """{ projects { id name endpoint created_at updated_at tenant { id slug cloud region active
  created_at updated_at } } tenant { id slug config { hash } } }"""


class TracebackWatch(logging.Handler):
    """Collects every log record that carries a traceback or is an ERROR from aiohttp or mockbi."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._lock_records = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR or "Traceback" in record.getMessage():
            with self._lock_records:
                self.records.append(record)

    def take(self) -> list[str]:
        with self._lock_records:
            found, self.records = self.records, []
        return [f"{r.name} {r.levelname}: {r.getMessage()[:300]}" for r in found]

    def __enter__(self) -> TracebackWatch:
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)


def assert_no_traceback_text(text: str, where: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"{where}: the answer carries {marker!r}: {text[:400]!r}"


class World:
    """A live mockbi server seen over HTTP with its seeded credentials."""

    def __init__(self, server: ServerThread) -> None:
        self.server = server
        self.url = server.url
        self.http = requests.Session()
        self.creds: dict[str, dict[str, Any]] = self.http.get(f"{self.url}/__mockbi/info", timeout=30).json()["vendors"]

    # ---- credentials and vendor-relative URLs
    @property
    def ph_project(self) -> int:
        return int(self.creds["posthog"]["project_id"])

    @property
    def ld_project(self) -> str:
        return str(self.creds["lightdash"]["project_uuid"])

    def auth(self, vendor: str) -> dict[str, str]:
        c = self.creds[vendor]
        header = {"posthog": lambda: f"Bearer {c['personal_api_key']}", "lightdash": lambda: c["auth_header"],
                  "hashboard": lambda: c["api_token"], "hasura_cloud": lambda: f"pat {c['personal_access_token']}"}
        return {"Authorization": header[vendor]()}

    def get(self, vendor: str, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.url + path, headers=self.auth(vendor), timeout=30, **kw)

    def gql(self, vendor: str, query: str, variables: dict[str, Any] | None = None) -> requests.Response:
        path = "/api/graphql" if vendor == "hashboard" else "/v1/graphql"
        return self.http.post(self.url + path, json={"query": query, "variables": variables or {}},
                              headers=self.auth(vendor), timeout=30)

    # ---- the checks
    def check_healthy(self) -> None:
        resp = self.http.get(f"{self.url}/__mockbi/health", timeout=30)
        assert resp.status_code == 200 and resp.json() == {"status": "ok"}, resp.text[:300]

    def check_journal_renders(self) -> None:
        resp = self.http.get(f"{self.url}/__mockbi/journal", timeout=60)
        assert resp.status_code == 200, f"journal: {resp.status_code} {resp.text[:300]}"
        assert isinstance(resp.json()["calls"], list)

    def _ok(self, resp: requests.Response, what: str) -> Any:
        assert resp.status_code == 200, f"{what}: {resp.status_code} {resp.text[:300]}"
        return resp.json()

    def readable_posthog(self, each: bool) -> int:
        base = f"/api/projects/{self.ph_project}/dashboards/"
        listed = self._ok(self.get("posthog", base, params={"limit": 1000}), "posthog list")["results"]
        for item in listed if each else []:
            self._ok(self.get("posthog", f"{base}{item['id']}/"), f"posthog dashboard {item['id']}")
        return len(listed)

    def readable_lightdash(self, each: bool) -> int:
        p = f"/api/v1/projects/{self.ld_project}"
        spaces = self._ok(self.get("lightdash", f"{p}/spaces"), "lightdash spaces")["results"]
        dashboards = self._ok(self.get("lightdash", f"{p}/dashboards"), "lightdash dashboards")["results"]
        charts = self._ok(self.get("lightdash", f"{p}/charts"), "lightdash charts")["results"]
        self._ok(self.get("lightdash", "/api/v1/org/users"), "lightdash org users")
        self._ok(self.get("lightdash", "/api/v1/org/projects"), "lightdash projects")
        if each:
            for s in spaces:
                self._ok(self.get("lightdash", f"{p}/spaces/{s['uuid']}"), f"space {s['uuid']}")
            for d in dashboards:
                self._ok(self.get("lightdash", f"/api/v1/dashboards/{d['uuid']}"), f"dashboard {d['uuid']}")
            for c in charts:
                self._ok(self.get("lightdash", f"/api/v1/saved/{c['uuid']}"), f"chart {c['uuid']}")
        return len(spaces) + len(dashboards) + len(charts)

    def readable_hashboard(self) -> int:
        body = self._ok(self.gql("hashboard", HASHBOARD_WORLD, {"id": self.creds["hashboard"]["project_id"]}),
                        "hashboard world")
        assert not body.get("errors"), body
        project = body["data"]["project"]
        return sum(len(project[k]) for k in ("models", "metrics", "dashboards"))

    def readable_hasura(self) -> int:
        body = self._ok(self.gql("hasura_cloud", HASURA_WORLD), "hasura world")
        assert not body.get("errors"), body
        return len(body["data"]["projects"]) + len(body["data"]["tenant"])

    def check_readable(self, focus: str | None = None) -> dict[str, int]:
        """List every vendor's collections; get each object of ``focus`` (the vendor a case attacked:
        the others' stores were not touched) or of every vendor when ``focus`` is None."""
        return {"posthog": self.readable_posthog(focus in (None, "posthog")),
                "lightdash": self.readable_lightdash(focus in (None, "lightdash")),
                "hashboard": self.readable_hashboard(), "hasura_cloud": self.readable_hasura()}

    def check_all(self, focus: str | None = None) -> dict[str, int]:
        self.check_healthy()
        counts = self.check_readable(focus)
        self.check_journal_renders()
        return counts

    def snapshot(self) -> dict[str, Any]:
        """Every vendor's listed objects and each object read back, as the wire shows them (for "equals a
        fresh world" comparisons; credentials are re-read, a reset may have changed the seed)."""
        self.creds = self.http.get(f"{self.url}/__mockbi/info", timeout=30).json()["vendors"]
        ph = f"/api/projects/{self.ph_project}/dashboards/"
        ld = f"/api/v1/projects/{self.ld_project}"
        shot: dict[str, Any] = {"posthog": self.get("posthog", ph, params={"limit": 1000}).json()}
        shot["posthog_each"] = [self.get("posthog", f"{ph}{d['id']}/").json() for d in shot["posthog"]["results"]]
        for name in ("spaces", "dashboards", "charts"):
            shot[f"lightdash_{name}"] = self.get("lightdash", f"{ld}/{name}").json()
        shot["lightdash_users"] = self.get("lightdash", "/api/v1/org/users").json()
        shot["hashboard"] = self.gql("hashboard", HASHBOARD_WORLD, {"id": self.creds["hashboard"]["project_id"]}).json()
        shot["hasura"] = self.gql("hasura_cloud", HASURA_WORLD).json()
        return shot

    def reset(self, **body: Any) -> None:
        resp = self.http.post(f"{self.url}/__mockbi/reset", json=body, timeout=60)
        assert resp.status_code == 200, resp.text[:300]
        self.creds = resp.json()["vendors"]
