"""A project's ``warehouseConnection`` as Lightdash's own document types it (issue 12 D15): each credential
variant with its required keys, no secrets, ``startOfWeek`` only when set."""

from __future__ import annotations

import pytest

from mockbi.vendors.lightdash import warehouses
from tests.vendors.lightdash.conftest import Api

# the keys each variant of Lightdash 0.1411.0's WarehouseCredentials requires (its swagger document)
REQUIRED = {
    "postgres": {"type", "schema", "host", "port", "dbname"},
    "redshift": {"type", "schema", "host", "port", "dbname"},
    "snowflake": {"type", "warehouse", "account", "database", "schema"},
    "bigquery": {"type", "project", "dataset"},
    "databricks": {"type", "database", "serverHostName", "httpPath"},
    "trino": {"type", "schema", "host", "port", "dbname", "http_scheme"},
}
SECRETS = {"user", "password", "keyfileContents", "personalAccessToken", "privateKey", "privateKeyPass"}


def test_seeded_project_sends_no_unset_start_of_week(api: Api) -> None:
    connection = api.ok("GET", f"/api/v1/projects/{api.project}")["warehouseConnection"]
    assert connection["type"] == "postgres" and REQUIRED["postgres"] <= set(connection)
    assert "startOfWeek" not in connection and not SECRETS & set(connection)


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_every_warehouse_type_sends_its_variants_required_keys(api: Api, kind: str) -> None:
    assert set(warehouses.TYPES) == set(REQUIRED)
    project = api.store.projects[api.project]
    with api.mockbi.locked():
        project.warehouseConnection = warehouses.connection(kind)
    connection = api.ok("GET", f"/api/v1/projects/{api.project}")["warehouseConnection"]
    assert connection["type"] == kind and REQUIRED[kind] <= set(connection), connection
    assert not SECRETS & set(connection) and "startOfWeek" not in connection
    assert all(value is not None for value in connection.values())
    listed = next(p for p in api.ok("GET", "/api/v1/org/projects") if p["projectUuid"] == api.project)
    assert listed["warehouseType"] == kind
    with api.mockbi.locked():
        project.warehouseConnection["startOfWeek"] = 0  # Monday, once someone sets it
    assert api.ok("GET", f"/api/v1/projects/{api.project}")["warehouseConnection"]["startOfWeek"] == 0
