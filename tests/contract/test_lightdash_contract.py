"""The Lightdash 0.1411.0 contract: a valid OpenAPI 3.1 document that the engine loads and compiles,
covering exactly the 147 documented operations (plus flagged extensions) with the running service's
auth classes and success statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from openapi_spec_validator import validate

from mockbi.core.contracts import RestContract
from mockbi.core.router import specificity

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "contracts" / "lightdash" / "openapi.json"
TABLE = json.loads((Path(__file__).parent / "data" / "lightdash_operations.json").read_text())
SECURITY = {
    "session-or-PAT": [{"ApiKey": []}, {"SessionCookie": []}],
    "session-only": [{"SessionCookie": []}],
    "none": [],
}
EXTENSIONS = {
    ("GET", "/api/v1/saved/{chartUuid}", "getSavedChartExt"),
    ("PATCH", "/api/v1/saved/{chartUuid}", "updateSavedChartExt"),
    ("DELETE", "/api/v1/saved/{chartUuid}", "deleteSavedChartExt"),
    ("POST", "/api/v1/projects/{projectUuid}/saved", "createSavedChartExt"),
    ("GET", "/api/v1/dashboards/{dashboardUuid}", "getDashboardExt"),
    ("PATCH", "/api/v1/dashboards/{dashboardUuid}", "updateDashboardExt"),
    ("DELETE", "/api/v1/dashboards/{dashboardUuid}", "deleteDashboardExt"),
    ("GET", "/api/v1/user/me/personal-access-tokens", "listPersonalAccessTokensExt"),
    ("POST", "/api/v1/user/me/personal-access-tokens", "createPersonalAccessTokenExt"),
    ("GET", "/api/v1/health", "getHealthExt"),
    ("POST", "/api/v1/login", "loginExt"),
    ("GET", "/api/v1/projects/{projectUuid}/csv/{nanoId}", "getCsvFileExt"),
    ("POST", "/api/v1/saved/{chartUuid}/version", "createSavedChartVersionExt"),
    ("GET", "/api/v1/projects/{projectUuid}/catalog", "getProjectCatalogExt"),
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(CONTRACT.read_text())


@pytest.fixture(scope="module")
def contract() -> RestContract:
    return RestContract.load("lightdash", CONTRACT)


def _ops(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in document["paths"].items() for method, op in item.items()]


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["version"] == "0.1411.0"
    validate(document)


def test_engine_loads_and_compiles_every_schema(contract: RestContract) -> None:
    assert len(contract.operations) == 147 + len(EXTENSIONS)
    assert contract.compile_all() > 2 * len(contract.operations)


def test_documented_operations_are_exactly_the_147_of_0_1411_0(document: dict[str, Any]) -> None:
    assert len(TABLE) == 147
    documented = {(m, p, op["operationId"]) for m, p, op in _ops(document) if not op.get("x-mockbi-extension")}
    assert documented == {(r["method"], r["path"], r["operationId"]) for r in TABLE}
    assert (
        "PATCH",
        "/api/v1/user/me/personal-access-tokens/{personalAccessTokenUuid}/rotate",
        "Rotate personal access token",
    ) in documented


def test_extensions_are_flagged_and_tagged(document: dict[str, Any]) -> None:
    flagged = {(m, p, op["operationId"]) for m, p, op in _ops(document) if op.get("x-mockbi-extension")}
    assert flagged == EXTENSIONS
    for _, _, op in _ops(document):
        if op.get("x-mockbi-extension"):
            assert op["x-mockbi-extension"] is True and op["tags"], op["operationId"]


def test_auth_classes_match_the_service(contract: RestContract) -> None:
    for row in TABLE:
        assert contract.operations[row["operationId"]].security == SECURITY[row["auth"]], row["operationId"]
    assert contract.operations["getHealthExt"].security == []
    assert contract.operations["loginExt"].security == []
    assert contract.operations["getSavedChartExt"].security == SECURITY["session-or-PAT"]
    schemes = json.loads(CONTRACT.read_text())["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        **schemes["ApiKey"],
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    assert schemes["SessionCookie"] == {
        **schemes["SessionCookie"],
        "type": "apiKey",
        "in": "cookie",
        "name": "connect.sid",
    }


def test_success_statuses_are_the_ones_the_service_sends(contract: RestContract) -> None:
    for row in TABLE:
        op = contract.operations[row["operationId"]]
        declared = sorted(int(s) for s in op.responses if s.isdigit() and int(s) < 400)
        assert declared == row["successStatuses"], row["operationId"]
    assert contract.operations["CreateGroupInOrganization"].success_status == 201
    assert contract.operations["deleteTag"].success_status == 200
    assert contract.operations["updateScheduler"].success_status == 200
    assert contract.operations["addUserToGroup"].responses["204"].empty
    assert contract.operations["removeUserFromGroup"].responses["204"].empty
    redirect = contract.operations["installGithubAppForOrganization"].responses["302"]
    assert redirect.empty and redirect.headers == ("Location",)


def test_every_operation_declares_the_error_envelope_and_401(contract: RestContract) -> None:
    for op in contract.operations.values():
        assert op.responses["default"].media == {"application/json": {"$ref": "#/components/schemas/ApiErrorPayload"}}
        if op.security:
            assert set(op.responses["401"].media) == {"text/plain", "application/json"}, op.operation_id
        else:
            assert "401" not in op.responses


def _check(contract: RestContract, op_id: str, status: str, body: Any) -> list[str]:
    schema = contract.operations[op_id].responses[status].media["application/json"]
    assert schema is not None
    return [
        e.message for e in contract.validator((op_id, "response", status, "application/json"), schema).iter_errors(body)
    ]


def test_empty_results_envelope_is_exactly_status_ok(contract: RestContract) -> None:
    assert _check(contract, "deleteTag", "200", {"status": "ok"}) == []
    assert _check(contract, "deleteTag", "200", {"status": "ok", "results": None})
    assert _check(contract, "DeleteSpace", "200", {"status": "ok"}) == []


def test_error_envelope_shape(contract: RestContract) -> None:
    error = {
        "status": "error",
        "error": {"statusCode": 404, "name": "NotFoundError", "message": "x", "data": {}},
    }
    assert _check(contract, "GetProject", "default", error) == []
    assert _check(contract, "GetProject", "default", {"status": "error", "error": {"message": "x"}})


def test_group_keeps_required_nullable_fields(contract: RestContract) -> None:
    group = {
        "organizationUuid": "o",
        "updatedByUserUuid": None,
        "updatedAt": "2024-01-01T00:00:00Z",
        "createdByUserUuid": None,
        "createdAt": "2024-01-01T00:00:00Z",
        "name": "g",
        "uuid": "u",
    }
    assert _check(contract, "getGroup", "200", {"status": "ok", "results": group}) == []
    missing = {k: v for k, v in group.items() if k != "updatedByUserUuid"}
    assert _check(contract, "getGroup", "200", {"status": "ok", "results": missing})


def test_query_rows_follow_the_result_row_shape(contract: RestContract) -> None:
    results = {
        "rows": [{"orders_status": {"value": {"raw": "done", "formatted": "done"}}}],
        "fields": {"orders_status": {"label": "Status"}},
        "cacheMetadata": {"cacheHit": False},
        "metricQuery": {
            "exploreName": "orders",
            "dimensions": ["orders_status"],
            "metrics": [],
            "filters": {},
            "sorts": [],
            "limit": 500,
            "tableCalculations": [],
        },
    }
    assert _check(contract, "RunMetricQuery", "200", {"status": "ok", "results": results}) == []
    results["rows"] = [{"orders_status": "done"}]
    assert _check(contract, "RunMetricQuery", "200", {"status": "ok", "results": results})


def test_query_parameters_carry_real_types(contract: RestContract) -> None:
    params = {p.name: p.schema for p in contract.operations["getMetricsCatalog"].params("query")}
    assert params["page"]["type"] == "number" and params["pageSize"]["type"] == "number"
    assert params["categories"]["type"] == "array"
    path = {p.name: p.schema for p in contract.operations["DeleteValidationDismiss"].params("path")}
    assert path == {"projectUuid": {"type": "string"}, "validationId": {"type": "number"}}


async def test_comment_routes_with_different_parameter_names_are_all_served(
    aiohttp_client: Any, contract: RestContract
) -> None:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"route": request.match_info.route.name, **request.match_info})

    app = web.Application()
    for op in sorted(contract.operations.values(), key=lambda o: specificity(o.path)):
        app.router.add_route(op.method, op.path, echo, name=op.operation_id.replace(" ", "_"))
    client = await aiohttp_client(app)
    base = "/api/v1/comments/dashboards/d1"
    created = await (await client.post(f"{base}/t1")).json()
    assert created == {"route": "createComment", "dashboardUuid": "d1", "dashboardTileUuid": "t1"}
    resolved = await (await client.patch(f"{base}/c1")).json()
    assert resolved == {"route": "resolveComment", "dashboardUuid": "d1", "commentId": "c1"}
    deleted = await (await client.delete(f"{base}/c1")).json()
    assert deleted == {"route": "deleteComment", "dashboardUuid": "d1", "commentId": "c1"}
    tree = await (await client.get("/api/v1/projects/p/dataCatalog/metrics/tree")).json()
    assert tree["route"] == "getMetricsTree"


def test_saved_chart_extension_accepts_a_minimal_real_chart(contract: RestContract) -> None:
    chart = {
        "uuid": "c1",
        "projectUuid": "p1",
        "name": "Orders",
        "tableName": "orders",
        "metricQuery": {
            "exploreName": "orders",
            "dimensions": ["orders_status"],
            "metrics": [],
            "filters": {},
            "sorts": [],
            "limit": 500,
            "tableCalculations": [],
        },
        "chartConfig": {"type": "table"},
        "tableConfig": {"columnOrder": []},
        "pivotConfig": {"columns": []},
        "updatedAt": "2024-12-11T00:00:00Z",
        "organizationUuid": "o1",
        "spaceUuid": "s1",
        "spaceName": "Shared",
        "pinnedListUuid": None,
        "pinnedListOrder": None,
        "dashboardUuid": None,
        "dashboardName": None,
        "colorPalette": [],
        "isPrivate": False,
        "access": [],
        "slug": "orders",
    }
    assert _check(contract, "getSavedChartExt", "200", {"status": "ok", "results": chart}) == []
    del chart["dashboardUuid"]
    assert _check(contract, "getSavedChartExt", "200", {"status": "ok", "results": chart})
