"""Git integration: enabled by a GitHub dbt connection plus the organization's GitHub App, and pull
requests for custom metrics and a chart's custom fields."""

from __future__ import annotations

from tests.vendors.lightdash.conftest import LightdashClient
from tests.vendors.lightdash.test_github_app import _install


def test_git_integration_follows_the_installation(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/git-integration"
    assert ld.ok("GET", base) == {"enabled": False}
    body = {"quoteChar": '"', "customMetrics": ["orders_revenue_p90"]}
    chart = next(c for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid)
    metric = {"name": "orders_revenue_p90", "label": "Revenue p90", "table": "orders", "type": "percentile",
              "sql": "${TABLE}.amount", "percentile": 90}
    ld.call(lambda: chart.metricQuery.__setitem__("additionalMetrics", [metric]))
    ld.error("POST", f"{base}/pull-requests/custom-metrics", 404, "NotFoundError", json=body)
    _install(ld, ld.login())
    assert ld.ok("GET", base) == {"enabled": True}
    pr = ld.ok("POST", f"{base}/pull-requests/custom-metrics", json=body)
    assert pr["prUrl"].startswith("https://github.com/example/jaffle-shop-dbt/pull/")
    assert pr["prTitle"] == "Lightdash: add 1 custom metric"
    chart_pr = ld.ok("GET", f"{base}/pull-requests/chart/{chart.uuid}/fields")
    assert chart.name in chart_pr["prTitle"]


def test_git_integration_errors(ld: LightdashClient) -> None:
    base = f"/api/v1/projects/{ld.project_uuid}/git-integration"
    plain = next(c for c in ld.store.saved_charts.values() if c.projectUuid == ld.project_uuid)
    ld.error("GET", f"{base}/pull-requests/chart/{plain.uuid}/fields", 400, "ParameterError")
    ld.error("GET", f"{base}/pull-requests/chart/nope/fields", 404, "NotFoundError")
    ld.error("POST", f"{base}/pull-requests/custom-metrics", 404, "NotFoundError",
             json={"quoteChar": "'", "customMetrics": ["unknown_metric"]})
    ld.error("POST", f"{base}/pull-requests/custom-metrics", 422, "ValidateError",
             json={"quoteChar": "`", "customMetrics": []})
    ld.error("POST", f"{base}/pull-requests/custom-metrics", 403, "ForbiddenError", token=ld.token_for("viewer"),
             json={"quoteChar": "'", "customMetrics": ["x"]})
    ld.error("GET", "/api/v1/projects/nope/git-integration", 404, "NotFoundError")
