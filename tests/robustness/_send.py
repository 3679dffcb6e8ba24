"""Sending one hostile case (over requests, or raw bytes on a socket) and checking the answer's shape."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests

from ._cases import Case
from ._world import World, assert_no_traceback_text


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


def placeholders(world: World) -> dict[str, str]:
    dashboards = world.get("posthog", f"/api/projects/{world.ph_project}/dashboards/").json()["results"]
    return {"{ph}": str(world.ph_project), "{ph_dash}": str(dashboards[0]["id"]), "{ld}": world.ld_project,
            "{hb}": str(world.creds["hashboard"]["project_id"]),
            "{tenant}": str(world.creds["hasura_cloud"]["tenant_id"])}


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def revoked_token(world: World, vendor: str) -> str:
    """A token that worked once: a Lightdash PAT whose secret was rotated, an expired Hashboard key."""
    if vendor == "lightdash":  # tokens are managed from a browser session, as in the service
        creds = world.creds["lightdash"]
        with requests.Session() as browser:
            login = browser.post(f"{world.url}/api/v1/login", json={"email": creds["email"],
                                                                     "password": creds["password"]}, timeout=30)
            assert login.status_code == 200, login.text[:300]
            pats = f"{world.url}/api/v1/user/me/personal-access-tokens"
            made = browser.post(pats, json={"description": "soon revoked", "expiresAt": "2031-01-01T00:00:00Z"},
                                timeout=30)
            assert made.status_code == 200, made.text[:300]
            created = made.json()["results"]
            rotated = browser.patch(f"{pats}/{created['uuid']}/rotate", json={"expiresAt": "2032-01-01T00:00:00Z"},
                                    timeout=30)
            assert rotated.status_code == 200, rotated.text[:300]
        return f"ApiKey {created['token']}"
    assert vendor == "hashboard", vendor
    expired = world.http.post(f"{world.url}/__mockbi/hashboard/access-keys", timeout=30, json={
        "project_id": world.creds["hashboard"]["project_id"], "age_days": 10, "valid_days": 5})
    assert expired.status_code in (200, 201), expired.text[:300]
    return str(expired.json()["api_token"])


def _auth_header(world: World, case: Case) -> dict[str, str]:
    vendor = case.vendor
    if case.auth == "none" or vendor == "admin":
        return {}
    if case.auth == "revoked":
        return {"Authorization": revoked_token(world, vendor)}
    if case.auth == "ok":
        return world.auth(vendor)
    token = world.auth(vendor)["Authorization"].split(" ")[-1]
    return {"Authorization": case.auth.replace("{token}", token)}


def send_raw(world: World, request: bytes, timeout: float = 30) -> Answer:
    where = urlsplit(world.url)
    with socket.create_connection((where.hostname, where.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            data = b"".join(chunks)
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep and b"content-length:" in head.lower():
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(rest) >= length:
                    break
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    ctype = next((ln.split(":", 1)[1].strip() for ln in lines[1:] if ln.lower().startswith("content-type:")), "")
    return Answer(int(lines[0].split(" ")[1]), ctype, body)


def send(world: World, case: Case, values: dict[str, str]) -> Answer:
    if case.raw is not None:
        return send_raw(world, case.raw)
    headers = {**_auth_header(world, case), **case.headers}
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    body = case.body
    if body is not None and b"{" in body and len(body) < 100_000:
        body = fill(body.decode("utf-8", "surrogateescape"), values).encode("utf-8", "surrogateescape")
    resp = world.http.request(case.method, world.url + fill(case.path, values), data=body, headers=headers,
                              timeout=60)
    return Answer(resp.status_code, resp.headers.get("Content-Type", ""), resp.content)


def _posthog(answer: Answer) -> None:
    body = answer.json()
    assert {"type", "code", "detail", "attr"} <= set(body), body


def _lightdash(answer: Answer) -> None:
    body = answer.json()
    assert body["status"] == "error" and body["error"]["statusCode"] == answer.status, body
    assert isinstance(body["error"]["name"], str) and isinstance(body["error"]["message"], str)


def _graphql_errors(answer: Answer) -> None:
    body = answer.json()
    errors = body["errors"]
    assert isinstance(errors, list) and errors and all(isinstance(e["message"], str) for e in errors), body


def _hasura(answer: Answer) -> None:
    _graphql_errors(answer)
    assert all(isinstance(e["extensions"]["code"], str) for e in answer.json()["errors"]), answer.body[:300]


def _hasura_http(answer: Answer) -> None:
    body = answer.json()
    assert set(body) == {"path", "error", "code"}, body


def _text(answer: Answer) -> None:
    assert answer.content_type.startswith("text/plain"), answer.content_type


def _admin(answer: Answer) -> None:
    assert isinstance(answer.json()["error"], str), answer.body[:300]


def _json(answer: Answer) -> None:
    answer.json()


def _empty(answer: Answer) -> None:
    assert answer.body == b"", answer.body[:300]


def _any(answer: Answer) -> None:
    pass


SHAPES = {"posthog": _posthog, "lightdash": _lightdash, "hashboard": _graphql_errors, "hasura_cloud": _hasura,
          "admin": _admin, "hasura_http": _hasura_http, "text": _text, "json": _json, "empty": _empty, "any": _any}


def check_answer(case: Case, answer: Answer) -> None:
    where = f"{case.id}: {answer.status} {answer.body[:300]!r}"
    assert answer.status in case.expect, f"{where}; expected {case.expect}"
    assert_no_traceback_text(answer.body.decode("utf-8", "replace"), case.id)
    if answer.status < 500 or case.vendor != "lightdash" or case.shape:
        SHAPES[case.shape or case.vendor](answer)
    else:
        _lightdash(answer)
    if case.contains:
        assert case.contains in answer.body.decode("utf-8", "replace"), where
