"""Writes PostHog's serializers refuse are refused before anything changes, in DRF's words, and every
dashboard stays readable afterwards (issue 12: A1, A2, C9, D18). Through the shipped ``mockbi`` fixture."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from mockbi.handle import MockbiHandle


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


class Client:
    def __init__(self, mockbi: MockbiHandle) -> None:
        creds = mockbi.credentials["posthog"]
        self.root = mockbi.url
        self.base = f"{mockbi.url}/api/projects/{creds['project_id']}/dashboards/"
        self.auth = {"Authorization": f"Bearer {creds['personal_api_key']}"}
        self.session: dict[str, str] = creds["session_cookie"]

    def send(self, method: str, rest: str = "", raw: bytes | None = None, **kw: Any) -> requests.Response:
        headers = {**self.auth, **({"Content-Type": "application/json"} if raw is not None else {})}
        return requests.request(method, self.base + rest, headers=headers, data=raw, timeout=10, **kw)

    def json(self, method: str, rest: str, body: Any) -> requests.Response:
        return self.send(method, rest, json.dumps(body).encode())

    def count(self) -> int:
        resp = self.send("GET")
        assert resp.status_code == 200, resp.text
        return int(resp.json()["count"])

    def assert_readable(self, dashboard_id: int = 2) -> dict[str, Any]:
        """The dashboard, the project's list and the journal all still answer."""
        one = self.send("GET", f"{dashboard_id}/")
        assert one.status_code == 200, one.text
        assert self.send("GET").status_code == 200
        assert requests.get(f"{self.root}/__mockbi/journal", timeout=10).status_code == 200
        return dict(one.json())


def refused(resp: requests.Response, detail: str, attr: str | None, code: str = "invalid_input") -> None:
    assert resp.status_code == 400, resp.text
    assert resp.json() == {"type": "validation_error", "code": code, "detail": detail, "attr": attr}


@pytest.fixture
def ph(mockbi: MockbiHandle) -> Client:
    return Client(mockbi)


UNSTORABLE = [
    ("breakdown_colors", [10**29]),
    ("breakdown_colors", {"a": -(10**30)}),
    ("filters", {"date_from": 10**30}),
    ("variables", {"v": {"value": 2**64}}),
    ("variables", {"v": "\x00"}),
]


@pytest.mark.parametrize(("field", "value"), UNSTORABLE)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_json_values_the_service_cannot_store_or_render_are_refused(ph: Client, method: str, field: str,
                                                                     value: Any) -> None:
    before, count = ph.assert_readable(), ph.count()
    resp = ph.json(method, "2/" if method == "PATCH" else "", {"name": "x", field: value})
    refused(resp, "Value must be valid JSON.", field)
    after = ph.assert_readable()
    assert after[field] == before[field] and after["name"] == before["name"] and ph.count() == count


@pytest.mark.parametrize(("value", "detail", "code"), [
    ("1" + "0" * 30, 'Invalid pk "1' + "0" * 30 + '" - object does not exist.', "does_not_exist"),
    (2**40, f'Invalid pk "{2**40}" - object does not exist.', "does_not_exist"),
    (1e308, "A valid integer is required.", "invalid_input"),
    (1e16, "A valid integer is required.", "invalid_input"),
])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_data_color_theme_id_beyond_a_key_is_an_invalid_pk(ph: Client, method: str, value: Any, detail: str,
                                                           code: str) -> None:
    count = ph.count()
    resp = ph.json(method, "2/" if method == "PATCH" else "", {"data_color_theme_id": value})
    refused(resp, detail, "data_color_theme_id", code)
    assert ph.assert_readable()["data_color_theme_id"] is None and ph.count() == count


def test_data_color_theme_id_as_a_decimal_string_and_a_whole_float_is_an_integer(ph: Client) -> None:
    assert ph.json("PATCH", "2/", {"data_color_theme_id": "7.0"}).json()["data_color_theme_id"] == 7
    assert ph.json("PATCH", "2/", {"data_color_theme_id": 8.0}).json()["data_color_theme_id"] == 8


def test_form_data_color_theme_id_of_400_nines_is_an_invalid_pk_not_an_overflow(ph: Client) -> None:
    count = ph.count()
    resp = requests.post(ph.base, headers=ph.auth, data={"data_color_theme_id": "9" * 400}, timeout=10)
    refused(resp, f'Invalid pk "{"9" * 400}" - object does not exist.', "data_color_theme_id", "does_not_exist")
    resp = requests.post(ph.base, headers=ph.auth, data={"data_color_theme_id": "9" * 1001}, timeout=10)
    refused(resp, "String value too large.", "data_color_theme_id", "max_string_length")
    assert ph.count() == count


@pytest.mark.parametrize("field", ["name", "description", "use_template", "_create_in_folder"])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_lone_surrogate_in_a_char_field_is_refused_and_poisons_nothing(ph: Client, method: str,
                                                                           field: str) -> None:
    count = ph.count()
    resp = ph.send(method, "2/" if method == "PATCH" else "", b'{"%s": "ok \\ud800"}' % field.encode())
    refused(resp, "Surrogate characters are not allowed: U+D800.", field, "surrogate_characters_not_allowed")
    ph.assert_readable()
    assert ph.count() == count


def test_surrogates_elsewhere_are_refused_or_ignored_as_drf_would(ph: Client) -> None:
    resp = ph.send("PATCH", "2/", b'{"filters": {"k": "\\udfff"}}')
    refused(resp, "Value must be valid JSON.", "filters")
    resp = ph.send("PATCH", "2/", b'{"pinned": "\\ud800"}')
    refused(resp, "Must be a valid boolean.", "pinned")
    resp = ph.send("PATCH", "2/", b'{"restriction_level": "\\ud800"}')
    refused(resp, '"\\ud800" is not a valid choice.', "restriction_level", "invalid_choice")
    resp = ph.send("PATCH", "2/", b'{"tags": ["ok", "\\ud800"]}')
    refused(resp, "Surrogate characters are not allowed: U+D800.", "tags__1", "surrogate_characters_not_allowed")
    resp = ph.send("PATCH", "2/", b'{"tiles": [{"text": {"body": "\\ud83d"}}]}')
    refused(resp, "Surrogate characters are not allowed: U+D83D.", "text__body", "surrogate_characters_not_allowed")
    # a key the serializer does not declare is ignored, however odd its value
    resp = ph.send("PATCH", "2/", b'{"name": "Renamed", "\\ud800": 1, "extra": "\\udc00"}')
    assert resp.status_code == 200 and resp.json()["name"] == "Renamed"
    ph.assert_readable()


def test_a_null_body_is_no_data_but_an_empty_body_is_an_empty_object(ph: Client) -> None:
    count = ph.count()
    refused(ph.send("POST", raw=b"null"), "No data provided", None, "null")
    refused(ph.send("PATCH", "2/", raw=b"null"), "No data provided", None, "null")
    for raw, kind in ((b"5", "int"), (b'"x"', "str"), (b"[1]", "list"), (b"true", "bool")):
        refused(ph.send("POST", raw=raw), f"Invalid data. Expected a dictionary, but got {kind}.", None)
    assert ph.count() == count
    created = ph.send("POST", raw=b"")
    assert created.status_code == 201 and created.json()["name"] is None
    assert ph.count() == count + 1


@pytest.mark.parametrize("field", ["name", "description"])
def test_a_nul_in_a_char_field_is_refused(ph: Client, field: str) -> None:
    count = ph.count()
    refused(ph.json("POST", "", {field: "a\x00b"}), "Null characters are not allowed.", field,
            "null_characters_not_allowed")
    refused(ph.json("PATCH", "2/", {field: "a\x00b"}), "Null characters are not allowed.", field,
            "null_characters_not_allowed")
    form = requests.post(ph.base, headers=ph.auth, data={field: "a\x00b"}, timeout=10)
    refused(form, "Null characters are not allowed.", field, "null_characters_not_allowed")
    assert ph.count() == count and ph.assert_readable()[field] != "a\x00b"


def test_non_standard_json_numbers_and_runaway_nesting_are_parse_errors(ph: Client) -> None:
    resp = ph.send("POST", raw=b'{"name": NaN}')
    assert resp.status_code == 400 and resp.json()["code"] == "parse_error"
    assert resp.json()["detail"] == "JSON parse error - Out of range float values are not JSON compliant: 'NaN'"
    resp = ph.send("POST", raw=b'{"filters": ' + b"[" * 5000 + b"]" * 5000 + b"}")
    assert resp.status_code in (400, 413) and resp.json()["type"] in ("invalid_request", "validation_error")
    ph.assert_readable()


def test_a_filters_override_too_deep_to_send_back_is_ignored(ph: Client) -> None:
    override = json.dumps({"date_from": deep(300)})
    resp = ph.send("GET", "2/", params={"filters_override": override})
    assert resp.status_code == 200, resp.text
    assert resp.json()["filters"] == ph.assert_readable()["filters"]
    shallow = ph.send("GET", "2/", params={"filters_override": json.dumps({"date_from": "-7d"})})
    assert shallow.json()["filters"]["date_from"] == "-7d"


DEPTH_ERROR = "JSON parse error - the JSON body is nested more than 100 levels deep"


@pytest.mark.parametrize("body", [{"filters": deep(300)}, {"filters": {"properties": deep(120)}},
                                  {"name": deep(300)}, {"pinned": deep(150)}, {"tags": deep(300)},
                                  {"undeclared": deep(200)}])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_nested_beyond_the_engines_limit_is_a_parse_error_that_changes_nothing(
        ph: Client, method: str, body: dict[str, Any]) -> None:
    before, count = ph.assert_readable(), ph.count()
    resp = ph.json(method, "2/" if method == "PATCH" else "", body)
    assert resp.status_code == 400, resp.text
    assert resp.json() == {"type": "invalid_request", "code": "parse_error", "detail": DEPTH_ERROR, "attr": None}
    assert ph.assert_readable() == before and ph.count() == count


def test_a_form_field_holding_json_nested_too_deep_is_no_valid_json(ph: Client) -> None:
    count = ph.count()
    resp = requests.post(ph.base, headers=ph.auth, data={"filters": json.dumps(deep(150))}, timeout=10)
    refused(resp, "Value must be valid JSON.", "filters")
    assert ph.count() == count


@pytest.mark.parametrize(("method", "rest", "body", "status", "detail"), [
    ("POST", "", {"use_dashboard": 10**30}, 400, "Invalid value provided"),
    ("POST", "", {"restriction_level": 10**30}, 400, f'"{10**30}" is not a valid choice.'),
    ("POST", "", {"pinned": 10**30}, 400, "Must be a valid boolean."),
    ("PATCH", "2/move_tile/", {"tile": {"id": 1}, "toDashboard": 10**30}, 404, "Not found."),
])
def test_integers_beyond_64_bits_get_the_lookups_own_answer_and_the_journal_stays_readable(
        ph: Client, method: str, rest: str, body: dict[str, Any], status: int, detail: str) -> None:
    count = ph.count()
    session_only = rest.startswith("2/move_tile")  # a personal key is refused there: log in
    resp = requests.request(method, ph.base + rest, data=json.dumps(body), timeout=10,
                            headers={"Content-Type": "application/json", **({} if session_only else ph.auth)},
                            cookies=ph.session if session_only else None)
    assert resp.status_code == status and resp.json()["detail"] == detail, resp.text
    ph.assert_readable()
    assert ph.count() == count


@pytest.mark.parametrize(("edit", "detail"), [
    ({"layouts": {"sm": "x"}}, 'Expected a dictionary of items but got type "str".'),
    ({"layouts": {"sm": {"x": 1}, "xs": [1]}}, 'Expected a dictionary of items but got type "list".'),
    ({"filters_overrides": [1]}, 'Expected a dictionary of items but got type "list".'),
    ({"show_description": "x"}, "Must be a valid boolean."),
])
def test_a_tile_edit_that_would_leave_the_tile_unreadable_is_refused(ph: Client, edit: dict[str, Any],
                                                                      detail: str) -> None:
    before = ph.assert_readable()
    tile = before["tiles"][0]["id"]
    resp = ph.json("PATCH", "2/", {"tiles": [{"id": tile, **edit}]})
    assert resp.status_code == 400 and resp.json()["detail"] == detail and resp.json()["attr"] == "tiles", resp.text
    assert ph.assert_readable()["tiles"] == before["tiles"]


def test_tile_booleans_given_as_0_and_1_are_kept_as_booleans_as_djangos_field_does(ph: Client) -> None:
    tile = ph.assert_readable()["tiles"][0]["id"]
    resp = ph.json("PATCH", "2/", {"tiles": [{"id": tile, "transparent_background": 0, "show_description": 1}]})
    assert resp.status_code == 200, resp.text
    stored = next(t for t in ph.assert_readable()["tiles"] if t["id"] == tile)
    assert stored["transparent_background"] is False and stored["show_description"] is True


def test_authentication_and_the_lookup_come_before_the_serializers_refusals(ph: Client) -> None:
    for raw in (b"null", b'{"name": "a\\u0000"}', b'{"name": "\\ud800"}', b"[1]"):
        anonymous = requests.post(ph.base, data=raw, headers={"Content-Type": "application/json"}, timeout=10)
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated", anonymous.text
        missing = ph.send("PATCH", "99999/", raw)
        assert missing.status_code == 404, missing.text
    # the parser's own errors do come first: authentication peeks at the body for a personal_api_key
    broken = requests.post(ph.base, data=b"{", headers={"Content-Type": "application/json"}, timeout=10)
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
