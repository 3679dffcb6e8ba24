"""Dashboard templates: the built-in ``use_template`` keys and the JSON schema that
``create_from_template_json`` validates a template against (mirrored in the contract as
``DashboardTemplateJSON``)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

TEMPLATE_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["template_name", "dashboard_description", "dashboard_filters", "tiles"],
    "properties": {
        "id": {"type": "string"},
        "template_name": {"type": "string"},
        "team_id": {"type": ["number", "null"]},
        "created_at": {"type": "string"},
        "image_url": {"type": ["string", "null"]},
        "dashboard_description": {"type": "string"},
        "dashboard_filters": {"type": "object"},
        "tiles": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        "variables": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["id", "name", "type", "default", "description", "required"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "type": {"enum": ["event"]},
                    "default": {"type": "object"},
                    "description": {"type": "string"},
                    "required": {"type": "boolean"},
                },
            },
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}



@cache
def template_json_validator() -> jsonschema.Draft7Validator:
    """Compiled once, on first use (importing jsonschema costs ~50 ms of every start): the schema is a
    constant and a validator holds no per-call state."""
    import jsonschema

    return jsonschema.Draft7Validator(TEMPLATE_JSON_SCHEMA)


def _trend(name: str, math: str, event: str = "$pageview", interval: str = "day") -> dict[str, Any]:
    return {"type": "INSIGHT", "name": name, "description": "", "color": None,
            "query": {"kind": "InsightVizNode", "source": {
                "kind": "TrendsQuery", "interval": interval,
                "series": [{"kind": "EventsNode", "event": event, "name": event, "math": math}]}}}


def _funnel(name: str) -> dict[str, Any]:
    return {"type": "INSIGHT", "name": name, "description": "", "color": None,
            "query": {"kind": "InsightVizNode", "source": {
                "kind": "FunnelsQuery", "breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"},
                "series": [{"kind": "EventsNode", "event": "$pageview", "name": "$pageview"},
                           {"kind": "EventsNode", "event": "$pageview", "name": "$pageview"}]}}}


def _retention(name: str) -> dict[str, Any]:
    return {"type": "INSIGHT", "name": name, "description": "", "color": None,
            "query": {"kind": "InsightVizNode", "source": {
                "kind": "RetentionQuery",
                "retentionFilter": {"period": "Week", "totalIntervals": 11, "retentionType": "retention_first_time"}}}}


def _table(name: str, sql: str) -> dict[str, Any]:
    return {"type": "INSIGHT", "name": name, "description": "", "color": None,
            "query": {"kind": "DataVisualizationNode", "source": {"kind": "HogQLQuery", "query": sql}}}


#: built-in templates: key or template name -> template (same shape as create_from_template_json)
BUILTIN_TEMPLATES: dict[str, dict[str, Any]] = {
    "DEFAULT_APP": {
        "template_name": "My App Dashboard",
        "dashboard_description": "",
        "dashboard_filters": {"date_from": "-30d"},
        "tags": [],
        "tiles": [
            _trend("Daily active users (DAUs)", "dau"),
            _trend("Weekly active users (WAUs)", "dau", interval="week"),
            _retention("Retention"),
            _trend("Growth accounting", "total"),
            _table("Referring domain (last 14 days)",
                   "select properties.$referring_domain, count() from events group by 1 order by 2 desc"),
            _funnel("Pageview funnel, by browser"),
        ],
    },
    "Product analytics": {
        "template_name": "Product analytics",
        "dashboard_description": "High-level overview of your product including daily active users, "
                                 "weekly active users, retention, and more.",
        "dashboard_filters": {},
        "tags": [],
        "tiles": [
            _trend("Daily active users (DAUs)", "dau"),
            _trend("Weekly active users (WAUs)", "dau", interval="week"),
            _retention("Retention"),
            _trend("Pageviews", "total"),
            {"type": "TEXT", "body": "Welcome to your product analytics dashboard.", "color": None},
        ],
    },
    "Website traffic": {
        "template_name": "Website traffic",
        "dashboard_description": "Visitors, pageviews and top pages.",
        "dashboard_filters": {"date_from": "-7d"},
        "tags": [],
        "tiles": [
            _trend("Unique visitors", "dau"),
            _trend("Pageviews", "total"),
            _table("Top pages", "select properties.$pathname, count() from events group by 1 order by 2 desc"),
        ],
    },
}
