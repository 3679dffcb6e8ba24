"""Damaged form and multipart bodies are parse errors in DRF's shape on every PostHog operation that takes
one, never a 500, and leave every object readable (issue 12: C10). Through the shipped ``mockbi`` fixture."""

from __future__ import annotations

import pytest
import requests

from mockbi.handle import MockbiHandle

BOUNDARY = "XxBoundaryxX"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(headers: bytes, value: bytes = b"v") -> bytes:
    return b"--" + BOUNDARY.encode() + b"\r\n" + headers + b"\r\n\r\n" + value + b"\r\n"


def body(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--" + BOUNDARY.encode() + b"--\r\n"


NAME = b'Content-Disposition: form-data; name="name"'
DAMAGE = {
    # a part's header block aiohttp refuses
    "nul in Content-Disposition": body(part(b'Content-Disposition: form-data; name="na\x00me"')),
    "control byte in Content-Disposition": body(part(b'Content-Disposition: form-data; name="a\x01"')),
    "header line without a colon": body(part(b'Content-Disposition form-data; name="name"')),
    "space before the colon": body(part(b'Content-Disposition : form-data; name="name"')),
    "header line over 8190 bytes": body(part(b'Content-Disposition: form-data; name="' + b"a" * 9000 + b'"')),
    "unterminated quoted name": body(part(b'Content-Disposition: form-data; name="name')),
    "part without a name": body(part(b"X-Other: 1")),
    # encodings it cannot apply
    "unknown part charset": body(part(NAME + b"\r\nContent-Type: text/plain; charset=nosuch")),
    "unknown transfer encoding": body(part(NAME + b"\r\nContent-Transfer-Encoding: rot13")),
    "value not UTF-8": body(part(NAME, b"\xff\xfe")),
    # framing
    "no starting boundary": b"garbage",
    "cut short": part(NAME, b"v"),
}


def operations(mockbi: MockbiHandle) -> list[tuple[str, str]]:
    creds = mockbi.credentials["posthog"]
    base = f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/"
    return [("POST", base), ("PATCH", f"{base}2/"), ("PATCH", f"{base}2/sharing/"),
            ("POST", f"{base}2/collaborators/")]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_multipart_is_a_parse_error_on_every_operation(mockbi: MockbiHandle, damage: str) -> None:
    creds = mockbi.credentials["posthog"]
    auth = {"Authorization": f"Bearer {creds['personal_api_key']}"}
    before = requests.get(operations(mockbi)[1][1], headers=auth, timeout=10).json()
    count = requests.get(operations(mockbi)[0][1], headers=auth, timeout=10).json()["count"]
    for method, url in operations(mockbi):
        resp = requests.request(method, url, data=DAMAGE[damage], timeout=10,
                                headers={**auth, "Content-Type": MULTIPART})
        assert resp.status_code == 400, (method, url, resp.text)
        doc = resp.json()
        assert doc["type"] == "invalid_request" and doc["code"] == "parse_error" and doc["attr"] is None
        assert doc["detail"].startswith("Multipart form parse error - ") and doc["detail"].isascii()
    after = requests.get(operations(mockbi)[1][1], headers=auth, timeout=10)
    assert after.status_code == 200 and after.json()["name"] == before["name"]
    assert requests.get(operations(mockbi)[0][1], headers=auth, timeout=10).json()["count"] == count
    assert requests.get(f"{mockbi.url}/__mockbi/journal", timeout=10).status_code == 200


def test_an_unknown_form_charset_is_a_parse_error(mockbi: MockbiHandle) -> None:
    creds = mockbi.credentials["posthog"]
    resp = requests.post(operations(mockbi)[0][1], data=b"name=x", timeout=10,
                         headers={"Authorization": f"Bearer {creds['personal_api_key']}",
                                  "Content-Type": "application/x-www-form-urlencoded; charset=nosuch"})
    assert resp.status_code == 400 and resp.json()["detail"] == "Form parse error - unknown encoding: nosuch"


def test_a_field_name_that_is_not_utf8_is_skipped_like_django_skips_its_header(mockbi: MockbiHandle) -> None:
    creds = mockbi.credentials["posthog"]
    url = operations(mockbi)[0][1]
    data = body(part(b'Content-Disposition: form-data; name="\xe9"', b"lost"), part(NAME, b"Kept"))
    resp = requests.post(url, data=data, timeout=10,
                         headers={"Authorization": f"Bearer {creds['personal_api_key']}", "Content-Type": MULTIPART})
    assert resp.status_code == 201, resp.text
    assert resp.json()["name"] == "Kept"
    assert requests.get(f"{url}{resp.json()['id']}/", timeout=10,
                        headers={"Authorization": f"Bearer {creds['personal_api_key']}"}).status_code == 200
    assert requests.get(f"{mockbi.url}/__mockbi/journal", timeout=10).status_code == 200


def test_a_client_leaving_mid_multipart_upload_is_no_parse_error_and_no_defect(mockbi: MockbiHandle) -> None:
    import socket
    import time
    from urllib.parse import urlsplit

    creds = mockbi.credentials["posthog"]
    url = operations(mockbi)[0][1]
    data = body(part(NAME, b"x" * 50_000))
    parts = urlsplit(url)
    head = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(data)}",
            f"Content-Type: {MULTIPART}", "Connection: close", f"Authorization: Bearer {creds['personal_api_key']}"]
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + data[:1000])
    deadline = time.monotonic() + 10
    while not mockbi.journal.called and time.monotonic() < deadline:
        time.sleep(0.01)
    sock.shutdown(socket.SHUT_WR)  # the client gives up before the body is complete
    sock.close()
    time.sleep(1)  # the server notices the lost connection while it reads the form
    assert requests.get(mockbi.url + "/__mockbi/health", timeout=30).status_code == 200
    assert mockbi.journal.last.status == 0 and not mockbi.journal.last.violations
