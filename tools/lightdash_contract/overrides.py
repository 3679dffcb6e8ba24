"""The hand-reviewed parts of the Lightdash contract: where we follow the running service rather than
the vendor's generated document, shapes the document leaves untyped, and mockbi's extension routes.
Every entry here is listed in contracts/lightdash/SOURCE.md."""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def nullable_ref(name: str) -> dict[str, Any]:
    return {"anyOf": [ref(name), {"type": "null"}]}


STUB_NOTE = (
    "Referenced by the Lightdash 0.1411.0 schemas but not recorded in mockbi's fact tables; "
    "accepted as any JSON object."
)

# Success statuses that are not a single JSON envelope: "ok" = exactly {"status":"ok"}, "empty" = no body,
# "redirect" = 302 with Location and no body.
SUCCESS_STATUSES: dict[str, dict[str, str]] = {
    "addUserToGroup": {"201": "ok", "204": "empty"},
    "removeUserFromGroup": {"200": "ok", "204": "empty"},
    "removeProjectAccessFromGroup": {"200": "ok", "204": "empty"},
    "installGithubAppForOrganization": {"302": "redirect"},
    "githubOauthCallback": {"302": "redirect"},
    "deleteTag": {"200": "ok"},
    "DeleteSpace": {"200": "ok"},
    "deleteScheduler": {"200": "ok"},
    "resolveComment": {"200": "ok"},
    "deleteComment": {"200": "ok"},
    "DeleteValidationDismiss": {"200": "ok"},
}

# Operations whose controller leaves `results` out in a real case (Express drops `undefined`):
# getUserWarehouseCredentialsPreference has no results when the user saved no credentials for the project.
OPTIONAL_RESULTS: frozenset[str] = frozenset({"getUserWarehouseCredentialsPreference"})

RESULT_OVERRIDES: dict[str, Any] = {
    # Query results: rows are ResultRow maps, fields an ItemsMap (the document types rows as `{}`).
    "RunMetricQuery": ref("ApiRunQueryResults"),
    "postRunUnderlyingDataQuery": ref("ApiRunQueryResults"),
    "PostChartResults": ref("ApiRunQueryResults"),
    "getChartVersionResults": ref("ApiRunQueryResults"),
    # Declared as ApiRunQueryResponse; the service returns ApiChartAndResults.
    "PostDashboardTile": ref("ApiChartAndResults"),
    # The service adds abilityRules (CASL rules) to the LightdashUser.
    "GetAuthenticatedUser": ref("LightdashUserWithAbilityRules"),
    # `url` is only present once the job has completed.
    "getCsvUrl": {
        "type": "object",
        "required": ["status", "truncated"],
        "properties": {
            "url": {"type": "string"},
            "status": {"type": "string"},
            "truncated": {"type": "boolean"},
        },
    },
    # Untyped (`any`) in the document.
    "UpdateCustomSettings": {},
    # Record<string, number>, but a metric over no rows (filters matching nothing) totals to SQL NULL.
    "CalculateTotalFromQuery": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
    "CalculateTotalFromSavedChart": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
}

_ERROR = {
    "type": "object",
    "required": ["status", "error"],
    "properties": {
        "status": {"const": "error"},
        "error": {
            "type": "object",
            "required": ["statusCode", "name"],
            "properties": {
                "statusCode": {"type": "integer"},
                "name": {"type": "string"},
                "message": {"type": "string"},
                "data": {"type": "object"},
                "id": {"type": "string", "description": "Sentry event id, only on 500s."},
            },
        },
    },
}

_RESULT_ROW = {
    "type": "object",
    "description": "One result row: fieldId -> {value: {raw, formatted}}.",
    "additionalProperties": {
        "type": "object",
        "required": ["value"],
        "properties": {
            "value": {
                "type": "object",
                "required": ["raw", "formatted"],
                "properties": {"raw": {}, "formatted": {"type": "string"}},
            }
        },
    },
}

_ITEMS_MAP = {
    "type": "object",
    "description": "fieldId -> field (dimension, metric, table calculation or custom dimension).",
    "additionalProperties": {"type": "object"},
}

_PAT_PROPS = {
    "description": {"type": "string"},
    "expiresAt": {"type": ["string", "null"], "format": "date-time"},
    "rotatedAt": {"type": ["string", "null"], "format": "date-time"},
    "lastUsedAt": {"type": ["string", "null"], "format": "date-time"},
    "createdAt": {"type": "string", "format": "date-time"},
    "uuid": {"type": "string"},
}

_TILE_BASE = {
    "type": "object",
    "required": ["uuid", "type", "x", "y", "h", "w"],
    "properties": {
        "uuid": {"type": "string"},
        "type": ref("DashboardTileTypes"),
        "x": {"type": "number"},
        "y": {"type": "number"},
        "h": {"type": "number"},
        "w": {"type": "number"},
        "tabUuid": {"type": ["string", "null"]},
    },
}


def _tile_props(type_enum: str, props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "properties"],
        "properties": {
            "type": ref(type_enum),
            "properties": {"type": "object", "properties": props, "required": required},
        },
    }


def _warehouse(kind: str, required: list[str], props: dict[str, str]) -> dict[str, Any]:
    """A project's warehouse connection as the API sends it: the credential variant without its sensitive
    fields (``Omit_Create<Kind>Credentials.SensitiveCredentialsFieldNames_``); ``startOfWeek`` only when set."""
    common = {"requireUserCredentials": "boolean", "startOfWeek": "WeekDay"}
    properties: dict[str, Any] = {"type": {"const": kind}}
    for name, kind_of in {**common, **props}.items():
        properties[name] = ref("WeekDay") if kind_of == "WeekDay" else {"type": kind_of}
    return {"type": "object", "required": ["type", *required], "properties": properties}


_SSH = {"useSshTunnel": "boolean", "sshTunnelHost": "string", "sshTunnelPort": "number",
        "sshTunnelUser": "string", "sshTunnelPublicKey": "string"}
_PG_LIKE = {"schema": "string", "host": "string", "port": "number", "dbname": "string", "threads": "number",
            "keepalivesIdle": "number", "sslmode": "string", **_SSH}
WAREHOUSE_COMPONENTS: dict[str, Any] = {
    "Omit_CreatePostgresCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "postgres", ["schema", "host", "port", "dbname"], {**_PG_LIKE, "role": "string", "searchPath": "string"}),
    "Omit_CreateRedshiftCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "redshift", ["schema", "host", "port", "dbname"], {**_PG_LIKE, "ra3Node": "boolean"}),
    "Omit_CreateSnowflakeCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "snowflake", ["warehouse", "account", "database", "schema"],
        {"warehouse": "string", "account": "string", "database": "string", "schema": "string", "role": "string",
         "threads": "number", "clientSessionKeepAlive": "boolean", "queryTag": "string", "accessUrl": "string",
         "quotedIdentifiersIgnoreCase": "boolean", "override": "string"}),
    "Omit_CreateBigqueryCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "bigquery", ["project", "dataset"],
        {"project": "string", "dataset": "string", "threads": "number", "timeoutSeconds": "number",
         "priority": "string", "retries": "number", "location": "string", "maximumBytesBilled": "number",
         "executionProject": "string"}),
    "Omit_CreateDatabricksCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "databricks", ["database", "serverHostName", "httpPath"],
        {"database": "string", "catalog": "string", "serverHostName": "string", "httpPath": "string"}),
    "Omit_CreateTrinoCredentials.SensitiveCredentialsFieldNames_": _warehouse(
        "trino", ["schema", "host", "port", "dbname", "http_scheme"],
        {"schema": "string", "host": "string", "port": "number", "dbname": "string", "http_scheme": "string"}),
}

def _changes(data: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "required": ["action", "data"],
                                       "properties": {"action": ref("PromotionAction"), "data": ref(data)}}}


PROMOTION_COMPONENTS: dict[str, Any] = {
    "PromotionChanges": {
        "type": "object",
        "description": "What promoting (or upserting as code) creates or updates: spaces, charts, dashboards.",
        "required": ["spaces", "dashboards", "charts"],
        "properties": {"spaces": _changes("PromotedSpace"), "dashboards": _changes("PromotedDashboard"),
                       "charts": _changes("PromotedChart")},
    },
    "PromotedSpace": {
        "type": "object",
        "description": "Omit<SpaceSummary, 'userAccess'>.",
        "required": ["name", "uuid", "projectUuid", "organizationUuid", "pinnedListUuid", "slug", "isPrivate",
                     "access", "pinnedListOrder", "chartCount", "dashboardCount"],
        "properties": {
            "name": {"type": "string"}, "uuid": {"type": "string"}, "projectUuid": {"type": "string"},
            "organizationUuid": {"type": "string"}, "pinnedListUuid": {"type": ["string", "null"]},
            "slug": {"type": "string"}, "isPrivate": {"type": "boolean"},
            "access": {"type": "array", "items": {"type": "string"}},
            "pinnedListOrder": {"type": ["number", "null"]}, "chartCount": {"type": "number"},
            "dashboardCount": {"type": "number"},
        },
    },
    "PromotedChart": {"allOf": [ref("SavedChartDAO"), {
        "type": "object", "required": ["oldUuid", "spaceSlug"],
        "properties": {"oldUuid": {"type": "string"}, "spaceSlug": {"type": "string"}}}]},
    "PromotedDashboard": {"allOf": [ref("DashboardDAO"), {
        "type": "object", "required": ["spaceSlug"], "properties": {"spaceSlug": {"type": "string"}}}]},
}

HAND_COMPONENTS: dict[str, Any] = {
    **WAREHOUSE_COMPONENTS,
    **PROMOTION_COMPONENTS,
    "ApiErrorPayload": _ERROR,
    # Omit<UserAttributeValue, 'email'>: the vendor's document makes it the Pick of userUuid and value (both
    # required); left as a stub, a user value without userUuid reached the handler.
    "Omit_UserAttributeValue.email_": ref("Pick_UserAttributeValue.Exclude_keyofUserAttributeValue.email__"),
    # Pick<Redshift|Postgres|Snowflake|Trino credentials, 'type'|'user'>: the fact tables kept only the
    # first member's `type`; the union allows each of the four warehouse types.
    "Pick_CreateRedshiftCredentials-or-CreatePostgresCredentials-or-CreateSnowflakeCredentials"
    "-or-CreateTrinoCredentials.type-or-user_": {
        "type": "object",
        "required": ["type", "user"],
        "properties": {"type": {"type": "string", "enum": ["redshift", "postgres", "snowflake", "trino"]},
                       "user": {"type": "string"}},
    },
    "ApiSuccessEmpty": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"const": "ok"}},
        "additionalProperties": False,
        "description": 'Exactly {"status":"ok"}: Express drops `results: undefined`.',
    },
    "KnexPaginationMeta": {
        "type": "object",
        "required": ["page", "pageSize", "totalResults", "totalPageCount"],
        "properties": {
            "page": {"type": "number"},
            "pageSize": {"type": "number"},
            "totalResults": {"type": "number"},
            "totalPageCount": {"type": "number"},
        },
    },
    "ResultRow": _RESULT_ROW,
    # The document's union `CatalogField | CatalogTable`: getCatalog lists tables and fields together.
    "CatalogItem": {"anyOf": [ref("CatalogField"), ref("CatalogTable")]},
    "ItemsMap": _ITEMS_MAP,
    "ApiRunQueryResults": {
        "type": "object",
        "required": ["rows", "cacheMetadata", "metricQuery"],
        "properties": {
            "rows": {"type": "array", "items": ref("ResultRow")},
            "fields": ref("ItemsMap"),
            "cacheMetadata": ref("CacheMetadata"),
            "metricQuery": ref("MetricQueryResponse"),
        },
    },
    "ApiChartAndResults": {
        "type": "object",
        "required": [
            "chart",
            "explore",
            "appliedDashboardFilters",
            "metricQuery",
            "cacheMetadata",
            "rows",
            "fields",
        ],
        "properties": {
            "chart": ref("SavedChart"),
            "explore": ref("Explore"),
            "appliedDashboardFilters": nullable_ref("DashboardFilters"),
            "metricQuery": ref("MetricQueryResponse"),
            "cacheMetadata": ref("CacheMetadata"),
            "rows": {"type": "array", "items": ref("ResultRow")},
            "fields": ref("ItemsMap"),
        },
    },
    "LightdashUserWithAbilityRules": {
        "allOf": [
            ref("LightdashUser"),
            {
                "type": "object",
                "required": ["abilityRules"],
                "properties": {"abilityRules": {"type": "array", "items": {"type": "object"}}},
            },
        ]
    },
    "Record_string.number_": {"type": "object", "additionalProperties": {"type": "number"}},
    "ResultValue": {
        "type": "object",
        "required": ["raw", "formatted"],
        "properties": {"raw": {}, "formatted": {"type": "string"}},
    },
    # Dashboard tiles (the fact tables stop one level above these).
    "DashboardTileBase": _TILE_BASE,
    "CreateDashboardTileBase": {**_TILE_BASE, "required": ["type", "x", "y", "h", "w"]},
    "DashboardChartTileProperties": _tile_props(
        "DashboardTileTypes.SAVED_CHART",
        {
            "savedChartUuid": {"type": ["string", "null"]},
            "title": {"type": "string"},
            "hideTitle": {"type": "boolean"},
            "belongsToDashboard": {"type": "boolean"},
            "chartName": {"type": ["string", "null"]},
            "lastVersionChartKind": {},
            "chartSlug": {"type": "string"},
        },
        ["savedChartUuid"],
    ),
    "DashboardMarkdownTileProperties": _tile_props(
        "DashboardTileTypes.MARKDOWN",
        {"title": {"type": "string"}, "content": {"type": "string"}},
        ["title", "content"],
    ),
    "DashboardLoomTileProperties": _tile_props(
        "DashboardTileTypes.LOOM",
        {"title": {"type": "string"}, "url": {"type": "string"}, "hideTitle": {"type": "boolean"}},
        ["title", "url"],
    ),
    "DashboardSqlChartTileProperties": _tile_props(
        "DashboardTileTypes.SQL_CHART",
        {
            "savedSqlUuid": {"type": ["string", "null"]},
            "chartName": {"type": "string"},
            "title": {"type": "string"},
            "hideTitle": {"type": "boolean"},
        },
        [],
    ),
    "DashboardSemanticViewerChartTileProperties": _tile_props(
        "DashboardTileTypes.SEMANTIC_VIEWER_CHART",
        {
            "savedSemanticViewerChartUuid": {"type": ["string", "null"]},
            "chartName": {"type": "string"},
            "title": {"type": "string"},
            "hideTitle": {"type": "boolean"},
        },
        [],
    ),
    # Referenced one level below the fact tables; written from Lightdash's public types.
    "LoginOptionTypes": {"anyOf": [ref("OpenIdIdentityIssuerType"), ref("LocalIssuerTypes")]},
    "EmailOneTimePasswordExpiring": {
        "type": "object",
        "required": ["createdAt", "numberOfAttempts", "expiresAt", "isExpired", "isMaxAttempts"],
        "properties": {
            "createdAt": {"type": "string", "format": "date-time"},
            "numberOfAttempts": {"type": "number"},
            "expiresAt": {"type": "string", "format": "date-time"},
            "isExpired": {"type": "boolean"},
            "isMaxAttempts": {"type": "boolean"},
        },
    },
    "CatalogMetricsTreeNode": {
        "type": "object",
        "required": ["catalogSearchUuid", "name", "tableName"],
        "properties": {
            "catalogSearchUuid": {"type": "string"},
            "name": {"type": "string"},
            "tableName": {"type": "string"},
        },
    },
    "CatalogMetricsTreeEdge": {
        "type": "object",
        "required": ["source", "target", "createdAt", "createdByUserUuid", "projectUuid"],
        "properties": {
            "source": ref("CatalogMetricsTreeNode"),
            "target": ref("CatalogMetricsTreeNode"),
            "createdAt": {"type": "string", "format": "date-time"},
            "createdByUserUuid": {"type": ["string", "null"]},
            "projectUuid": {"type": "string"},
        },
    },
    "ThresholdOptions": {
        "type": "object",
        "required": ["operator", "fieldId", "value"],
        "properties": {
            "operator": ref("ThresholdOperator"),
            "fieldId": {"type": "string"},
            "value": {"type": "number"},
        },
    },
    "DefaultTimeDimension": {
        "type": "object",
        "required": ["field", "interval"],
        "properties": {"field": {"type": "string"}, "interval": ref("TimeFrames")},
    },
    "DbtProjectEnvironmentVariable": {
        "type": "object",
        "required": ["key", "value"],
        "properties": {"key": {"type": "string"}, "value": {"type": "string"}},
    },
    "BinRange": {"type": "object", "properties": {"from": {"type": "number"}, "to": {"type": "number"}}},
    "FieldUrl": {
        "type": "object",
        "required": ["label", "url"],
        "properties": {"label": {"type": "string"}, "url": {"type": "string"}},
    },
    # Extension request/response shapes.
    "PersonalAccessToken": {"type": "object", "properties": _PAT_PROPS, "required": list(_PAT_PROPS)},
    "CreatePersonalAccessToken": {
        "type": "object",
        "required": ["description", "expiresAt"],
        "properties": {
            "description": {"type": "string"},
            "expiresAt": {"type": ["string", "null"], "format": "date-time"},
            "autoGenerated": {"type": "boolean"},
        },
    },
    "CreateSavedChart": {
        "type": "object",
        "required": ["name", "tableName", "metricQuery", "chartConfig", "tableConfig"],
        "properties": {
            "name": {"type": "string"},
            "description": {"type": "string"},
            "tableName": {"type": "string"},
            "metricQuery": ref("MetricQuery"),
            "chartConfig": ref("ChartConfig"),
            "tableConfig": {
                "type": "object",
                "required": ["columnOrder"],
                "properties": {"columnOrder": {"type": "array", "items": {"type": "string"}}},
            },
            # read as `pivotConfig?.columns`: null is no pivot
            "pivotConfig": {
                "type": ["object", "null"],
                "properties": {"columns": {"type": "array", "items": {"type": "string"}}},
            },
            "spaceUuid": {"type": "string"},
            "dashboardUuid": {"type": ["string", "null"]},
        },
    },
    "UpdateSavedChart": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "description": {"type": ["string", "null"]},
            "spaceUuid": {"type": "string"},
        },
    },
    "UpdateDashboard": {
        "type": "object",
        "description": "Details (name/description/spaceUuid) and/or content (tiles, filters, tabs, config).",
        "properties": {
            "name": {"type": "string"},
            "description": {"type": ["string", "null"]},
            "spaceUuid": {"type": "string"},
            "tiles": {"type": "array", "items": {"type": "object"}},
            # DashboardModel reads `filters?.dimensions.map(...)` and `filters?.metrics?.map(...) ?? []`
            "filters": {
                "type": ["object", "null"],
                "required": ["dimensions"],
                "properties": {
                    "dimensions": {"type": "array", "items": ref("DashboardFilterRule")},
                    "metrics": {"type": "array", "items": ref("DashboardFilterRule")},
                    "tableCalculations": {"type": "array", "items": ref("DashboardFilterRule")},
                },
            },
            "tabs": {"type": "array", "items": ref("DashboardTab")},
            "config": ref("DashboardConfig"),
        },
    },
    # passport-local reads the fields itself (no tsoa validation): a missing one is its plain-text 400.
    "CreateSavedChartVersion": {
        "type": "object",
        "description": "A new version of a saved chart's content; name and description are not part of a version.",
        "required": ["tableName", "metricQuery", "chartConfig", "tableConfig"],
        "properties": {
            "tableName": {"type": "string"},
            "metricQuery": ref("MetricQuery"),
            "chartConfig": ref("ChartConfig"),
            "tableConfig": {
                "type": "object",
                "required": ["columnOrder"],
                "properties": {"columnOrder": {"type": "array", "items": {"type": "string"}}},
            },
            # read as `pivotConfig?.columns`: null is no pivot
            "pivotConfig": {
                "type": ["object", "null"],
                "properties": {"columns": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
    "ProjectCatalog": {
        "type": "object",
        "description": "database -> schema -> table name -> the table's description and SQL reference, over every "
        "table of every explore that compiled.",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": ref("ProjectCatalogTable")},
        },
    },
    "ProjectCatalogTable": {
        "type": "object",
        "required": ["sqlTable"],
        "properties": {"description": {"type": "string"}, "sqlTable": {"type": "string"}},
    },
    "LoginCredentials": {
        "type": "object",
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
    },
    "HealthState": {
        "type": "object",
        "required": [
            "healthy",
            "mode",
            "version",
            "localDbtEnabled",
            "isAuthenticated",
            "requiresOrgRegistration",
            "latest",
            "siteUrl",
        ],
        "properties": {
            "healthy": {"type": "boolean"},
            "mode": {"type": "string"},
            "version": {"type": "string"},
            "localDbtEnabled": {"type": "boolean"},
            "defaultProject": {},
            "isAuthenticated": {"type": "boolean"},
            "requiresOrgRegistration": {"type": "boolean"},
            "hasEmailClient": {"type": "boolean"},
            "latest": {"type": "object", "properties": {"version": {"type": "string"}}},
            "siteUrl": {"type": "string"},
            "staticIp": {"type": "string"},
            "auth": {"type": "object"},
            "hasSlack": {"type": "boolean"},
            "hasGithub": {"type": "boolean"},
            "hasHeadlessBrowser": {"type": "boolean"},
            "hasGroups": {"type": "boolean"},
        },
    },
}


def _ok(results: Any, status: str = "200") -> dict[str, Any]:
    return {
        status: {
            "description": "Success.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["status", "results"],
                        "properties": {"status": {"const": "ok"}, "results": results},
                    }
                }
            },
        }
    }


_OK_EMPTY = {
    "200": {
        "description": 'Exactly {"status":"ok"}.',
        "content": {"application/json": {"schema": ref("ApiSuccessEmpty")}},
    }
}
_AUTH = [{"ApiKey": []}, {"SessionCookie": []}]
_SESSION_ONLY = [{"SessionCookie": []}]


def _path(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names]


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


EXTENSIONS: list[dict[str, Any]] = [
    {
        "method": "GET",
        "path": "/api/v1/saved/{chartUuid}",
        "operation": {
            "operationId": "getSavedChartExt",
            "tags": ["Charts"],
            "summary": "Get a saved chart",
            "parameters": _path("chartUuid"),
            "responses": _ok(ref("SavedChart")),
            "security": _AUTH,
        },
    },
    {
        "method": "PATCH",
        "path": "/api/v1/saved/{chartUuid}",
        "operation": {
            "operationId": "updateSavedChartExt",
            "tags": ["Charts"],
            "summary": "Update a saved chart's name, description or space",
            "parameters": _path("chartUuid"),
            "requestBody": _json_body(ref("UpdateSavedChart")),
            "responses": _ok(ref("SavedChart")),
            "security": _AUTH,
        },
    },
    {
        "method": "DELETE",
        "path": "/api/v1/saved/{chartUuid}",
        "operation": {
            "operationId": "deleteSavedChartExt",
            "tags": ["Charts"],
            "summary": "Delete a saved chart",
            "parameters": _path("chartUuid"),
            "responses": _OK_EMPTY,
            "security": _AUTH,
        },
    },
    {
        "method": "POST",
        "path": "/api/v1/projects/{projectUuid}/saved",
        "operation": {
            "operationId": "createSavedChartExt",
            "tags": ["Charts"],
            "summary": "Create a saved chart",
            "parameters": _path("projectUuid"),
            "requestBody": _json_body(ref("CreateSavedChart")),
            "responses": _ok(ref("SavedChart")),
            "security": _AUTH,
        },
    },
    {
        "method": "POST",
        "path": "/api/v1/saved/{chartUuid}/version",
        "operation": {
            "operationId": "createSavedChartVersionExt",
            "tags": ["Charts"],
            "summary": "Save a new version of a chart's content (table, metric query, chart/table/pivot config)",
            "parameters": _path("chartUuid"),
            "requestBody": _json_body(ref("CreateSavedChartVersion")),
            "responses": _ok(ref("SavedChart")),
            "security": _AUTH,
        },
    },
    {
        "method": "GET",
        "path": "/api/v1/projects/{projectUuid}/catalog",
        "operation": {
            "operationId": "getProjectCatalogExt",
            "tags": ["Projects"],
            "summary": "Every table of the project's explores, by database and schema",
            "parameters": _path("projectUuid"),
            "responses": _ok(ref("ProjectCatalog")),
            "security": _AUTH,
        },
    },
    {
        "method": "GET",
        "path": "/api/v1/dashboards/{dashboardUuid}",
        "operation": {
            "operationId": "getDashboardExt",
            "tags": ["Dashboards"],
            "summary": "Get a dashboard",
            "parameters": _path("dashboardUuid"),
            "responses": _ok(ref("Dashboard")),
            "security": _AUTH,
        },
    },
    {
        "method": "PATCH",
        "path": "/api/v1/dashboards/{dashboardUuid}",
        "operation": {
            "operationId": "updateDashboardExt",
            "tags": ["Dashboards"],
            "summary": "Update a dashboard's details or content (new version)",
            "parameters": _path("dashboardUuid"),
            "requestBody": _json_body(ref("UpdateDashboard")),
            "responses": _ok(ref("Dashboard")),
            "security": _AUTH,
        },
    },
    {
        "method": "DELETE",
        "path": "/api/v1/dashboards/{dashboardUuid}",
        "operation": {
            "operationId": "deleteDashboardExt",
            "tags": ["Dashboards"],
            "summary": "Delete a dashboard",
            "parameters": _path("dashboardUuid"),
            "responses": _OK_EMPTY,
            "security": _AUTH,
        },
    },
    {
        "method": "GET",
        "path": "/api/v1/user/me/personal-access-tokens",
        "operation": {
            "operationId": "listPersonalAccessTokensExt",
            "tags": ["My Account"],
            "summary": "List the current user's personal access tokens",
            "responses": _ok({"type": "array", "items": ref("PersonalAccessToken")}),
            "security": _SESSION_ONLY,  # userRouter: isAuthenticated without allowApiKeyAuthentication
        },
    },
    {
        "method": "POST",
        "path": "/api/v1/user/me/personal-access-tokens",
        "operation": {
            "operationId": "createPersonalAccessTokenExt",
            "tags": ["My Account"],
            "summary": "Create a personal access token (the secret is returned once, in `token`)",
            "requestBody": _json_body(ref("CreatePersonalAccessToken")),
            "responses": _ok(ref("PersonalAccessTokenWithToken")),
            "security": _SESSION_ONLY,  # userRouter: isAuthenticated without allowApiKeyAuthentication
        },
    },
    {
        "method": "GET",
        "path": "/api/v1/health",
        "operation": {
            "operationId": "getHealthExt",
            "tags": ["Health"],
            "summary": "Server health and configuration",
            "responses": _ok(ref("HealthState")),
            "security": [],
        },
    },
    {
        "method": "POST",
        "path": "/api/v1/login",
        "operation": {
            "operationId": "loginExt",
            "tags": ["Authentication"],
            "summary": "Log in with email and password; sets the connect.sid session cookie",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": ref("LoginCredentials")},
                    "application/x-www-form-urlencoded": {"schema": ref("LoginCredentials")},
                },
            },
            "responses": {
                "200": {
                    "description": "Logged in; the session cookie is set.",
                    "headers": {"Set-Cookie": {"required": True, "schema": {"type": "string"}}},
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["status", "results"],
                                "properties": {"status": {"const": "ok"}, "results": ref("LightdashUser")},
                            }
                        }
                    },
                },
                "400": {
                    "description": "passport-local's `Bad Request` (plain text) when email or password is missing "
                    "or empty.",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
            },
            "security": [],
        },
    },
    {
        "method": "GET",
        "path": "/api/v1/projects/{projectUuid}/csv/{nanoId}",
        "operation": {
            "operationId": "getCsvFileExt",
            "tags": ["Exports"],
            "summary": "Download an exported CSV file",
            "parameters": _path("projectUuid", "nanoId"),
            "responses": {
                "200": {
                    "description": "The CSV file.",
                    "headers": {"Content-Disposition": {"required": True, "schema": {"type": "string"}}},
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                }
            },
            # the Express route has no auth middleware in 0.1411: the unguessable nanoId is the secret, so
            # a delivered link (Slack, email, a client following fileUrl) downloads without credentials
            "security": [],
        },
    },
]

TAG_DESCRIPTIONS: dict[str, str] = {
    "GitHub App": "The four GitHub App operations (untagged in the vendor's document).",
    "Health": "mockbi extension: the health route real clients call before anything else.",
    "Authentication": "mockbi extension: the Express login route that sets the session cookie.",
}
