"""Warehouse connections of Lightdash 0.1411.0 projects: one complete credential per warehouse type, and
the connection as the API sends it.

The API sends ``Omit<Create<Kind>Credentials, SensitiveCredentialsFieldNames>``: every key of the
credential except the secrets (user, password, key files, tokens, private keys). Each variant has its
own required keys (BigQuery ``project``/``dataset``, Snowflake ``account``/``warehouse``/``database``/
``schema``, Databricks ``database``/``serverHostName``/``httpPath``, Trino ``http_scheme``...).
``startOfWeek`` (0-6) is optional and only present once someone set it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

#: keys the API never sends (SensitiveCredentialsFieldNames and the SSH/TLS secrets)
SENSITIVE = frozenset({"user", "password", "keyfileContents", "personalAccessToken", "privateKey",
                       "privateKeyPass", "sshTunnelPrivateKey", "sslcert", "sslkey", "sslrootcert", "token",
                       "refreshToken"})

#: the keys each variant requires besides ``type`` (what strict clients check)
REQUIRED = MappingProxyType({
    "postgres": ("schema", "host", "port", "dbname"),
    "redshift": ("schema", "host", "port", "dbname"),
    "snowflake": ("warehouse", "account", "database", "schema"),
    "bigquery": ("project", "dataset"),
    "databricks": ("database", "serverHostName", "httpPath"),
    "trino": ("schema", "host", "port", "dbname", "http_scheme"),
})
TYPES = tuple(REQUIRED)


def connection(kind: str, database: str = "analytics", schema: str = "jaffle_shop") -> dict[str, Any]:
    """A complete stored credential of ``kind`` (secrets included, as the service keeps them encrypted)."""
    common: dict[str, Any] = {"type": kind, "requireUserCredentials": False}
    if kind in ("postgres", "redshift"):
        extra: dict[str, Any] = {"host": "warehouse.example.com", "port": 5439 if kind == "redshift" else 5432,
                                 "dbname": database, "schema": schema, "user": "lightdash", "password": "secret",
                                 "sslmode": "prefer", "threads": 4}
    elif kind == "snowflake":
        extra = {"account": "xy12345.eu-west-1", "warehouse": "COMPUTE_WH", "database": database,
                 "schema": schema, "role": "TRANSFORMER", "user": "LIGHTDASH", "password": "secret",
                 "clientSessionKeepAlive": False, "threads": 4}
    elif kind == "bigquery":
        extra = {"project": f"{database}-prod", "dataset": schema, "location": "EU", "timeoutSeconds": 300,
                 "priority": "interactive", "retries": 3, "threads": 4, "keyfileContents": {"type": "service_account"}}
    elif kind == "databricks":
        extra = {"serverHostName": "dbc-1234abcd-5678.cloud.databricks.com", "httpPath": "/sql/1.0/warehouses/abc123",
                 "catalog": database, "database": schema, "personalAccessToken": "dapi-secret"}
    elif kind == "trino":
        extra = {"host": "trino.example.com", "port": 443, "dbname": database, "schema": schema,
                 "http_scheme": "https", "user": "lightdash", "password": "secret"}
    else:
        raise ValueError(f"unknown warehouse type {kind!r}; expected one of {', '.join(TYPES)}")
    return common | extra


def public(stored: dict[str, Any]) -> dict[str, Any]:
    """The connection as the API sends it: no secrets, and no key that is unset (``startOfWeek: null``)."""
    return {k: v for k, v in stored.items() if k not in SENSITIVE and v is not None}
