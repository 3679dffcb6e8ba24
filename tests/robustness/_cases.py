"""The hostile-input matrix: one row per case, run by ``test_hostile_matrix.py``.

A case names the vendor attacked, the request (or raw bytes for what HTTP clients refuse to send), the
credentials to use, and what the vendor answers: the status (or the statuses a vendor may choose between,
where the fix decides, e.g. store a big number or refuse it) and the error shape. ``{ph}``/``{ld}``/``{hb}``
in paths and bodies are the seeded PostHog project id, Lightdash project uuid and Hashboard project id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

JSON = "application/json"


@dataclass(frozen=True)
class Case:
    id: str
    vendor: str  # posthog | lightdash | hashboard | hasura_cloud | admin
    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = JSON
    auth: str = "ok"  # ok | none | a literal Authorization header ({token} = the seeded token)
    headers: dict[str, str] = field(default_factory=dict)
    expect: tuple[int, ...] = (400,)
    shape: str = ""  # error shape checker; default: the vendor's
    contains: str = ""  # a substring the answer must hold (the vendor's words)
    raw: bytes | None = None  # sent as-is on a socket (request line and headers included)


def j(value: Any) -> bytes:
    return orjson.dumps(value)


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


def nested_obj(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


BIG = 1024 * 1024 + 16  # over the default --max-body-size (1 MiB)
PH = "/api/projects/{ph}/dashboards/"
PH1 = "/api/projects/{ph}/dashboards/{ph_dash}/"
LD = "/api/v1/projects/{ld}"
HB = "/api/graphql"
HA = "/v1/graphql"


def ph(id_: str, method: str, path: str, body: bytes | None = None, **kw: Any) -> Case:
    return Case(f"posthog-{id_}", "posthog", method, path, body, **kw)


def ld(id_: str, method: str, path: str, body: bytes | None = None, **kw: Any) -> Case:
    return Case(f"lightdash-{id_}", "lightdash", method, path, body, **kw)


def hb(id_: str, query: str | bytes, variables: Any = None, **kw: Any) -> Case:
    body = query if isinstance(query, bytes) else j({"query": query, "variables": variables or {}})
    return Case(f"hashboard-{id_}", "hashboard", "POST", HB, body, **kw)


def ha(id_: str, query: str | bytes, variables: Any = None, **kw: Any) -> Case:
    body = query if isinstance(query, bytes) else j({"query": query, "variables": variables or {}})
    return Case(f"hasura-{id_}", "hasura_cloud", "POST", HA, body, **kw)


def adm(id_: str, method: str, path: str, body: bytes | None = None, **kw: Any) -> Case:
    return Case(f"admin-{id_}", "admin", method, "/__mockbi" + path, body, **kw)


def raw(vendor: str, id_: str, request: bytes, expect: tuple[int, ...], **kw: Any) -> Case:
    return Case(f"{vendor}-{id_}", vendor, "RAW", "", raw=request, expect=expect, **kw)


POSTHOG_CASES = [
    ph("truncated-json", "POST", PH, b'{"name": "x', contains="parse_error"),
    ph("invalid-utf8", "POST", PH, b'{"name": "\xff\xfe"}', contains="parse_error"),
    ph("text-plain", "POST", PH, b"name=x", content_type="text/plain", expect=(415,)),
    ph("xml", "POST", PH, b"<a/>", content_type="application/xml", expect=(415,)),
    ph("over-max-body", "POST", PH, j({"name": "x" * BIG}), expect=(413,)),
    ph("huge-id", "GET", PH + "99999999999999999999999999/", expect=(404,)),
    ph("negative-id", "GET", PH + "-1/", expect=(404,)),
    ph("unicode-id", "GET", PH + "%E2%98%83/", expect=(404,)),
    ph("traversal-id", "GET", PH + "..%2F..%2Fetc%2Fpasswd/", expect=(404,)),
    ph("huge-project", "GET", "/api/projects/99999999999999999999999/dashboards/", expect=(404, 403)),
    ph("no-auth", "GET", PH, auth="none", expect=(401, 403)),
    ph("basic-scheme", "GET", PH, auth="Basic dXNlcjpwYXNz", expect=(401,)),
    ph("token-scheme", "GET", PH, auth="Token {token}", expect=(401,)),
    ph("bearer-empty", "GET", PH, auth="Bearer ", expect=(401,)),
    ph("bearer-unknown", "GET", PH, auth="Bearer phx_nosuchkey", expect=(401,)),
    ph("json-string-body", "POST", PH, b'"dash"'),
    ph("json-number-body", "POST", PH, b"42"),
    ph("json-array-body", "POST", PH, b'[{"name": "x"}]'),
    ph("empty-json-body", "POST", PH, b"", expect=(201,), shape="json"),
    ph("name-wrong-type", "POST", PH, j({"name": {"a": 1}})),
    ph("tags-wrong-type", "POST", PH, j({"name": "x", "tags": "a"})),
    ph("patch-unknown-dash", "PATCH", PH + "987654321/", j({"name": "x"}), expect=(404,)),
    ph("form-bad-int", "POST", PH, b"name=x&data_color_theme_id=abc",
       content_type="application/x-www-form-urlencoded"),
    ph("multipart-garbage", "POST", PH, b"garbage", content_type="multipart/form-data; boundary=zzz",
       contains="parse_error"),
    ph("multipart-no-boundary", "POST", PH, b"--x\r\n", content_type="multipart/form-data"),
    ph("limit-huge", "GET", PH + "?limit=99999999999999999999999", expect=(200,), shape="json"),
    ph("limit-negative", "GET", PH + "?limit=-5&offset=-9", expect=(200,), shape="json"),
    ph("format-unknown", "GET", PH + "?format=xml", expect=(404,)),
    ph("accept-xml", "GET", PH, headers={"Accept": "application/xml"}, expect=(406,)),
    ph("delete-verb", "DELETE", PH1, expect=(405,), shape="empty"),
    ph("method-trace", "TRACE", PH, expect=(405,)),
    ph("unknown-route", "GET", "/api/projects/{ph}/nosuch/", expect=(404,), shape="json", contains="not_found"),
]

LIGHTDASH_CASES = [
    ld("truncated-json", "POST", LD + "/spaces", b'{"name": "x', expect=(500,), contains="UnexpectedServerError"),
    # body-parser answers the generic 500 for a body it cannot parse; bytes that are not UTF-8 it may also
    # decode to U+FFFD and create the space (issue 12 D18, ld12): either way nothing breaks
    ld("invalid-utf8", "POST", LD + "/spaces", b'{"name": "\xff"}', expect=(200, 500), shape="any"),
    ld("text-plain", "POST", LD + "/spaces", b"name=x", content_type="text/plain", expect=(422,)),
    ld("over-max-body", "POST", LD + "/spaces", j({"name": "x" * BIG}), expect=(413,)),
    ld("bad-uuid", "GET", "/api/v1/dashboards/not-a-uuid", expect=(404, 400, 422)),
    ld("huge-id", "GET", "/api/v1/saved/" + "9" * 200, expect=(404, 400, 422)),
    ld("unicode-id", "GET", "/api/v1/dashboards/%E2%98%83", expect=(404, 400, 422)),
    ld("traversal-id", "GET", "/api/v1/dashboards/..%2F..%2Fetc", expect=(404, 400, 422)),
    ld("unknown-project", "GET", "/api/v1/projects/00000000-0000-0000-0000-000000000000/spaces",
       expect=(404, 403)),
    ld("no-auth", "GET", LD + "/spaces", auth="none", expect=(401,), shape="text", contains="Unauthorized"),
    ld("bearer-scheme", "GET", LD + "/spaces", auth="Bearer {token}", expect=(401,), shape="text",
       contains="Unauthorized"),
    ld("basic-scheme", "GET", LD + "/spaces", auth="Basic dXNlcjpwYXNz", expect=(401,), shape="text",
       contains="Unauthorized"),
    ld("apikey-unknown", "GET", LD + "/spaces", auth="ApiKey 00000000000000000000000000000000",
       expect=(401,), contains="Personal access token is not recognised"),
    ld("apikey-revoked", "GET", LD + "/spaces", auth="revoked", expect=(401,),
       contains="Personal access token is not recognised"),
    ld("apikey-empty", "GET", LD + "/spaces", auth="ApiKey ", expect=(401,), shape="text", contains="Unauthorized"),
    ld("json-string-body", "POST", LD + "/spaces", b'"x"', expect=(500,), contains="UnexpectedServerError"),
    ld("json-array-body", "POST", LD + "/spaces", b"[1, 2]", expect=(422,)),
    ld("name-wrong-type", "POST", LD + "/spaces", j({"name": 5}), expect=(422,)),
    ld("page-negative", "GET", "/api/v1/org/users?page=-1&pageSize=-10", expect=(200, 400, 422), shape="any"),
    ld("method-not-allowed", "PUT", "/api/v1/health", expect=(404, 405)),
    ld("unknown-route", "GET", "/api/v1/nosuch", expect=(404,)),
]

HASHBOARD_CASES = [
    hb("no-auth", "{ __typename }", auth="none", expect=(401,)),
    hb("wrong-token", "{ __typename }", auth="Bearer not-a-token", expect=(401,)),
    hb("expired-key", "{ __typename }", auth="revoked", expect=(401,)),
    hb("truncated-json", b'{"query": "{ __type', expect=(400,)),
    hb("invalid-utf8", b'{"query": "\xff"}', expect=(400,)),
    hb("text-plain", b"{ __typename }", content_type="text/plain", expect=(400, 415)),
    hb("query-not-string", b'{"query": 42}', expect=(400,)),
    hb("no-query", b'{"variables": {}}', expect=(400,)),
    hb("syntax-error", "{ project(", expect=(400, 200)),
    hb("unknown-field", "{ nosuch }", expect=(400, 200)),
    hb("depth", "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields "
                "{ name } } } } } } } } } } } }", expect=(400, 200)),
    hb("width", "{ " + " ".join(f"f{i}: __typename" for i in range(600)) + " }", expect=(400, 200)),
    hb("aliases", "{ " + " ".join(f"a{i}: __typename" for i in range(60)) + " }", expect=(400, 200)),
    hb("batch", j([{"query": "{ __typename }"}] * 50), expect=(400, 200)),
    hb("fragment-cycle", "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
       expect=(400, 200)),
    hb("variables-string", b'{"query": "{ __typename }", "variables": "x"}', expect=(400, 200)),
    hb("bad-variable-type", "query($id: ID!) { project(projectId: $id) { id } }", {"id": {"a": 1}},
       expect=(400, 200)),
    hb("over-max-body", "{ __typename " + " " * 100_001 + "}", expect=(413, 400)),
]

HASURA_CASES = [
    ha("no-auth-projects", "{ projects { id } }", auth="none", expect=(200,)),
    ha("bearer-scheme", "{ projects { id } }", auth="Bearer {token}", expect=(200,)),
    ha("unknown-pat", "{ projects { id } }", auth="pat nosuch", expect=(200,)),
    ha("truncated-json", b'{"query": "{ proj', shape="hasura_http", contains="invalid-json"),
    ha("invalid-utf8", b'{"query": "\xff"}', shape="hasura_http", contains="invalid-json"),
    ha("text-plain", b"{ projects { id } }", content_type="text/plain", shape="hasura_http"),
    ha("query-not-string", b'{"query": 42}', shape="hasura_http", contains="parse-failed"),
    ha("syntax-error", "{ projects(", expect=(200,)),
    ha("unknown-field", "{ nosuch }", expect=(200,)),
    ha("batch", j([{"query": "{ projects { id } }"}] * 50), shape="hasura_http"),
    ha("fragment-cycle", "query { ...A } fragment A on query_root { ...B } fragment B on query_root { ...A }",
       expect=(200,)),
    ha("aliases", "{ " + " ".join(f"a{i}: projects {{ id }}" for i in range(500)) + " }", expect=(200,)),
    ha("depth", "{ projects { tenant { project { tenant { project { tenant { project { tenant { project { "
                "tenant { id } } } } } } } } } } }", expect=(200,)),
    ha("bad-uuid-variable", "query($id: uuid!) { tenant_by_pk(id: $id) { id } }", {"id": "not-a-uuid"},
       expect=(200,)),
    ha("huge-limit", "{ projects(limit: 99999999999999999999) { id } }", expect=(200,)),
    ha("negative-limit", "{ projects(limit: -1) { id } }", expect=(200,)),
    ha("update-env-stale-hash", 'mutation($t: uuid!) { updateTenantEnv(tenantId: $t, currentHash: "nope", '
                                'envs: [{key: "A", value: "b"}]) { hash } }', {"t": "{tenant}"}, expect=(200,)),
    ha("delete-unknown-tenant", 'mutation { deleteTenant(tenantId: "00000000-0000-0000-0000-000000000000") '
                                '{ status } }', expect=(200,)),
]

ADMIN_CASES = [
    adm("reset-bad-json", "POST", "/reset", b"{nope"),
    adm("reset-seed-string", "POST", "/reset", j({"seed": "1"})),
    adm("reset-unknown-scenario", "POST", "/reset", j({"scenario": "nosuch"})),
    adm("reset-array-body", "POST", "/reset", b"[]"),
    adm("journal-unknown-filter", "GET", "/journal?nosuch=1", content_type=None),
    adm("journal-bad-status", "GET", "/journal?status=abc", content_type=None),
    adm("clock-backwards", "POST", "/clock", j({"set": "2000-01-01T00:00:00Z"})),
    adm("clock-negative", "POST", "/clock", j({"advance": -5})),
    adm("clock-overflow", "POST", "/clock", j({"advance": 1e300})),
    adm("clock-naive", "POST", "/clock", j({"set": "2030-01-01T00:00:00"})),
    adm("fault-unknown-vendor", "POST", "/faults", j({"vendor": "nosuch", "status": 500})),
    adm("fault-unknown-operation", "POST", "/faults", j({"vendor": "posthog", "operation_id": "nosuch",
                                                         "status": 500})),
    adm("over-max-body", "POST", "/reset", j({"seed": 1, "pad": "x" * BIG}), expect=(413,)),
    adm("hashboard-arrange-no-project", "POST", "/hashboard/resources", j({"type": "model"})),
    adm("hashboard-arrange-bad-json", "POST", "/hashboard/resources", b"{"),
    adm("unknown-admin-route", "GET", "/nosuch", content_type=None, expect=(404,), shape="any"),
]

FORM = "application/x-www-form-urlencoded"
ISSUE_12_CASES = [  # one or more per item of issue 12 sections A-E (the item id leads the case id)
    # A1 vend12: values orjson cannot serialize are refused (400) or stored readable
    ph("A1-huge-int-breakdown-patch", "PATCH", PH1, b'{"breakdown_colors": [100000000000000000000000000000]}',
       contains="breakdown_colors"),
    ph("A1-huge-int-breakdown-create", "POST", PH,
       b'{"name": "x", "breakdown_colors": [100000000000000000000000000000]}',
       contains="breakdown_colors"),
    ph("A1-1e308-theme", "PATCH", PH1, b'{"data_color_theme_id": 1e308}', contains="data_color_theme_id"),
    ph("A1-bigstr-theme", "PATCH", PH1, b'{"data_color_theme_id": "1' + b"0" * 40 + b'"}', contains="Invalid pk"),
    ph("A1-huge-int-filters", "PATCH", PH1, b'{"filters": {"a": 100000000000000000000000000000}}',
       contains="filters"),
    ph("A1-huge-int-variables", "POST", PH, b'{"name": "v", "variables": {"a": 1' + b"0" * 30 + b"}}",
       contains="variables"),
    # a body nested past the engine's 100 levels is DRF's parse_error before any field is read (SOURCE.md)
    ph("A1-deep-breakdown", "PATCH", PH1, f'{{"breakdown_colors": {nested(300)}}}'.encode(),
       contains="nested more than 100 levels"),
    ph("A1-deep-filters-create", "POST", PH, f'{{"name": "d", "filters": {nested_obj(300)}}}'.encode(),
       contains="nested more than 100 levels"),
    # A2 vend12 (+ core12 B8 for the journal)
    ph("A2-surrogate-name", "POST", PH, b'{"name": "\\ud800"}', contains="surrogate_characters_not_allowed"),
    ph("A2-surrogate-description", "PATCH", PH1, b'{"description": "a\\udfffb"}',
       contains="surrogate_characters_not_allowed"),
    ph("A2-surrogate-use-template", "POST", PH, b'{"name": "t", "use_template": "\\ud800"}',
       contains="surrogate_characters_not_allowed"),
    ph("bearer-unicode", "GET", PH, auth="Bearer phx_\u00e9\u00e9", expect=(401,)),
    hb("garbage-token", "{ __typename }", auth="\u00e9\u00e9\u00e9", expect=(401,)),
    # A3 ld12 / vend12
    ld("A3-deep-dashboard-filters", "POST", LD + "/dashboards", j({"name": "deep", "tiles": [], "filters": {
        "dimensions": [], "metrics": [], "tableCalculations": []}})[:-1].replace(b'"dimensions":[]', (
            '"dimensions":[{"id":"f","target":{"fieldId":"a","tableName":"t"},"operator":"equals","values":'
            + nested(300) + "}]").encode()) + b"}", expect=(413,), contains="PayloadTooLargeError"),
    adm("A3-hashboard-deep-spec", "POST", "/hashboard/resources", ('{"project_id": "{hb}", "type": "model", '
        '"name": "deep", "spec": ' + nested_obj(300) + "}").encode(), contains="nests deeper"),
    # A4 ld12
    ld("A4-page-huge", "GET", "/api/v1/org/users?page=100000000000000000000&pageSize=10", expect=(500,),
       contains="UnexpectedServerError"),
    # B5/B6 core12
    ha("B5-token-flood-anonymous", "{ " + "a " * 100_000 + "z }", auth="none", expect=(200,),
       contains="validation-failed"),
    hb("B5-token-flood-anonymous", "{ " + "a " * 40_000 + "z }", auth="none", expect=(401, 400, 413)),
    ha("B6-introspection-aliases", "{ " + " ".join(f"s{i}: __schema {{ types {{ name }} }}" for i in range(300))
       + " }", auth="none", expect=(200,), contains="aliases"),
    # C9 core12 / vend12
    ph("C9-deep-json-1000", "POST", PH, f'{{"name": "d", "filters": {nested_obj(1000)}}}'.encode(), expect=(400,)),
    ph("C9-deep-json-5000", "POST", PH, f'{{"name": "d", "filters": {nested(5000)}}}'.encode(), expect=(400,)),
    ld("C9-deep-json-1000", "POST", LD + "/spaces", f'{{"name": "d", "x": {nested(1000)}}}'.encode(),
       expect=(413,), contains="PayloadTooLargeError"),
    ha("C9-deep-variables", f'{{"query": "{{ projects {{ id }} }}", "variables": {{"v": {nested(1000)}}}}}'.encode(),
       expect=(200, 400), shape="any"),
    ph("C9-form-overflow", "POST", PH, b"name=x&data_color_theme_id=" + b"9" * 400, content_type=FORM,
       contains="Invalid pk"),
    # C10 vend12
    ph("C10-multipart-bad-disposition", "POST", PH,
       b'--zz\r\nContent-Disposition: form-data; name="na\x00me"\r\n\r\nx\r\n--zz--\r\n',
       content_type="multipart/form-data; boundary=zz", contains="parse_error"),
    ph("C10-multipart-bad-header-bytes", "POST", PH,
       b"--zz\r\nContent-Disposition: form-data; name=\"name\"\xff\xfe\r\n\r\nx\r\n--zz--\r\n",
       content_type="multipart/form-data; boundary=zz", contains="parse_error"),
    # C13 core12
    raw("posthog", "C13-long-request-line", b"GET /api/projects/1/dashboards/?x=" + b"a" * 9000
        + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", expect=(414,), shape="json"),
    raw("lightdash", "C13-long-header", b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000
        + b"\r\nConnection: close\r\n\r\n", expect=(431,)),
    raw("posthog", "C13-non-ascii-path", b"GET /api/projects/\xff\xfe/dashboards/ HTTP/1.1\r\nHost: x\r\n"
        b"Connection: close\r\n\r\n", expect=(400,), shape="json"),
    # D18 vend12
    ph("D18-null-body", "POST", PH, b"null", contains="null"),
    ph("D18-nul-name", "POST", PH, b'{"name": "a\\u0000b"}', contains="Null characters are not allowed."),
    # E19 core12
    adm("E19-fault-bad-keyword", "POST", "/faults", j({"vendor": "posthog", "nosuch": 1})),
]


CASES: list[Case] = [*POSTHOG_CASES, *LIGHTDASH_CASES, *HASHBOARD_CASES, *HASURA_CASES, *ADMIN_CASES,
                     *ISSUE_12_CASES]
