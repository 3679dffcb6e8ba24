"""``mockbi drift`` (issue 11 §4) with small documents written for the tests: copies of our own contracts with
one change each, hand-written OpenAPI 3.0/3.1 snippets, SDL and introspection results."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from graphql import build_schema, introspection_from_schema, print_schema

from mockbi.core.drift_openapi import compare_openapi

ROOT = Path(__file__).resolve().parents[2]
POSTHOG = json.loads((ROOT / "contracts" / "posthog" / "openapi.json").read_text())
HASURA_SDL = (ROOT / "contracts" / "hasura_cloud" / "schema.graphql").read_text()


def _drift(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mockbi", "drift", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def _write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document) if name.endswith(".json") else
                    yaml.safe_dump(document) if name.endswith((".yaml", ".yml")) else document)
    return str(path)


def _doc(paths: dict[str, Any], version: str = "3.1.0", schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas or {}}}


def _get(schema: dict[str, Any], params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"get": {"operationId": "getThing", "parameters": params or [],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}}


THING = {"type": "object", "required": ["id"],
         "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": ["a", "b"]},
                        "tags": {"type": "array",
                                 "items": {"type": "object", "properties": {"n": {"type": "string"}}}}}}


def _kinds(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [(c.kind, c.breaking, c.where) for c in compare_openapi(old, new)]


def test_an_unchanged_contract_has_no_drift(tmp_path: Path) -> None:
    result = _drift("posthog", _write(tmp_path, "same.json", POSTHOG), "--fail-on", "any")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("posthog: 0 breaking, 0 non-breaking change(s), 0 known deviation(s)")


def test_a_removed_operation_is_breaking_and_an_added_one_is_not(tmp_path: Path) -> None:
    changed = copy.deepcopy(POSTHOG)
    del changed["paths"]["/api/projects/{project_id}/dashboards/{id}/move_tile/"]
    changed["paths"]["/api/projects/{project_id}/dashboards/{id}/reorder_tiles/"] = {
        "post": {"operationId": "dashboards_reorder_tiles", "responses": {"200": {"description": "ok"}}}}
    path = _write(tmp_path, "moved.yaml", changed)
    result = _drift("posthog", path)
    assert result.returncode == 1
    assert "  [operation_removed] PATCH /api/projects/{project_id}/dashboards/{id}/move_tile/" in result.stdout
    report = json.loads(_drift("posthog", path, "--format", "json").stdout)
    assert report["summary"] == {"breaking": 1, "non_breaking": 1, "known_deviations": 0}
    assert {c["kind"]: c["severity"] for c in report["changes"]} == {"operation_removed": "breaking",
                                                                     "operation_added": "non-breaking"}


def test_fail_on_chooses_the_class_of_drift(tmp_path: Path) -> None:
    changed = copy.deepcopy(POSTHOG)
    dashboard = changed["components"]["schemas"]["Dashboard"]["properties"]
    dashboard["creation_mode"]["enum"] = [*dashboard["creation_mode"]["enum"], "unlisted"]
    path = _write(tmp_path, "enum.json", changed)
    breaking_only = _drift("posthog", path)
    assert breaking_only.returncode == 0 and "[enum_value_added]" in breaking_only.stdout
    assert _drift("posthog", path, "--fail-on", "any").returncode == 1


def test_known_deviations_are_listed_apart(tmp_path: Path) -> None:
    """The vendor's document types share_passwords as a string; the contract follows the service (a list)."""
    changed = copy.deepcopy(POSTHOG)
    changed["components"]["schemas"]["SharingConfiguration"]["properties"]["share_passwords"] = {"type": "string"}
    result = _drift("posthog", _write(tmp_path, "doc.json", changed), "--fail-on", "any")
    assert result.returncode == 0, result.stdout
    assert "known deviations (the contract follows the service; not drift):" in result.stdout
    assert "share_passwords is an array of SharePassword" in result.stdout


def test_junit_report_fails_one_case_per_breaking_change(tmp_path: Path) -> None:
    changed = copy.deepcopy(POSTHOG)
    del changed["paths"]["/api/projects/{project_id}/dashboards/{id}/stream_tiles/"]
    out = tmp_path / "drift.xml"
    result = _drift("posthog", _write(tmp_path, "doc.json", changed), "--format", "junit", "--output", str(out))
    assert result.returncode == 1
    xml = out.read_text()
    assert '<testsuite name="posthog" tests="1" failures="1"' in xml and 'type="operation_removed"' in xml


def test_parameters_properties_types_required_enums_and_statuses() -> None:
    old = _doc({"/things/{id}": _get(THING, [{"name": "limit", "in": "query", "schema": {"type": "integer"}}])})
    new_thing = {"type": "object", "required": ["id", "kind"],
                 "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["a", "c"]},
                                "tags": {"type": "array", "items": {"type": "object",
                                                                    "properties": {"m": {"type": "string"}}}},
                                "extra": {"type": "boolean"}}}
    new = _doc({"/things/{thing}": _get(new_thing, [
        {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}},
        {"name": "org", "in": "header", "required": True, "schema": {"type": "string"}}])})
    new["paths"]["/things/{thing}"]["get"]["responses"]["404"] = {"description": "missing"}
    where = "GET /things/{thing}"
    assert sorted(_kinds(old, new)) == sorted([
        ("parameter_added", True, f"{where} header parameter org"),
        ("parameter_required", True, f"{where} query parameter limit"),
        ("status_added", False, f"{where} response 404"),
        ("type_changed", True, f"{where} response 200 body.id"),
        ("enum_value_removed", True, f"{where} response 200 body.kind"),
        ("enum_value_added", False, f"{where} response 200 body.kind"),
        ("property_added", False, f"{where} response 200 body.extra"),
        ("property_required", False, f"{where} response 200 body.kind"),
        ("property_added", False, f"{where} response 200 body.tags[].m"),
        ("property_removed", True, f"{where} response 200 body.tags[].n"),
    ])


def test_openapi_30_nullable_refs_and_request_bodies() -> None:
    def post(schema: dict[str, Any]) -> dict[str, Any]:
        return {"post": {"operationId": "makeThing", "requestBody": {"content": {"application/json": {
            "schema": schema}}}, "responses": {"201": {"description": "ok"}}}}

    old = _doc({"/things": post({"$ref": "#/components/schemas/New"})},
               schemas={"New": {"type": "object", "properties": {"name": {"type": ["string", "null"]}}}})
    same_30 = _doc({"/things": post({"$ref": "#/components/schemas/New"})}, version="3.0.3",
                   schemas={"New": {"type": "object", "properties": {"name": {"type": "string", "nullable": True}}}})
    assert _kinds(old, same_30) == []
    stricter = _doc({"/things": post({"allOf": [{"type": "object", "required": ["name", "size"], "properties": {
        "name": {"type": "string"}, "size": {"type": "integer"}}}]})}, version="3.0.3")
    assert sorted(_kinds(old, stricter)) == [
        ("property_added", True, "POST /things request body.size"),
        ("property_required", True, "POST /things request body.name"),
        ("type_changed", True, "POST /things request body.name"),  # null no longer accepted
    ]


def test_graphql_sdl_uses_graphql_core_change_finders(tmp_path: Path) -> None:
    schema = build_schema(HASURA_SDL)
    query = schema.query_type
    assert query is not None
    removed = sorted(query.fields)[0]
    del query.fields[removed]
    sdl = print_schema(schema).replace(f"type {query.name} {{", f"type {query.name} {{\n  newThing: String", 1)
    result = _drift("hasura_cloud", _write(tmp_path, "schema.graphql", sdl), "--format", "json")
    assert result.returncode == 1, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [c["severity"] for c in changes if c["kind"] == "field_removed" and
            c["where"].endswith(f"{query.name}.{removed} was removed.")] == ["breaking"]
    assert any(c["kind"] == "operation_added" and c["where"] == f"{query.name}.newThing" for c in changes)


def test_graphql_introspection_result_is_accepted(tmp_path: Path) -> None:
    introspection = {"data": introspection_from_schema(build_schema(HASURA_SDL))}
    result = _drift("hasura_cloud", _write(tmp_path, "introspection.json", introspection), "--fail-on", "any")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("hasura_cloud: 0 breaking, 0 non-breaking")


@pytest.mark.parametrize(("vendor", "content", "problem"), [
    ("posthog", "type Query { a: Int", "not OpenAPI, introspection JSON or GraphQL SDL"),
    ("posthog", '{"swagger": "2.0", "paths": {}}', "only OpenAPI 3.0/3.1 documents"),
    ("posthog", "type Query { a: Int }", "posthog is a REST API: give its OpenAPI document"),
    ("hasura_cloud", '{"openapi": "3.1.0", "paths": {}}', "hasura_cloud is a GraphQL API"),
    ("nosuch", "type Query { a: Int }", "unknown vendor 'nosuch'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, vendor: str, content: str, problem: str) -> None:
    result = _drift(vendor, _write(tmp_path, "doc.txt", content))
    assert result.returncode == 2 and problem in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
