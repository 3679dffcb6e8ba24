"""Fields of the resources (models, saved explorations, metrics, dashboards) and of permission rules."""

from __future__ import annotations

from typing import Any

from mockbi.core.graphql import ResolveInfo
from mockbi.core.registry import Registry
from mockbi.vendors.hashboard.models import Resource
from mockbi.vendors.hashboard.resolvers._common import store_of

registry = Registry("hashboard")


@registry.operation("Model.savedExplorations")
def model_saved_explorations(model: Resource, info: ResolveInfo) -> list[Resource]:
    return store_of(info).saved_explorations_of(model)


@registry.operation("PermissionRule.resources")
def permission_rule_resources(rule: dict[str, Any], info: ResolveInfo) -> list[str]:
    """GRNs of the resources the rule covers (kept as keys, so a new alias shows at once), or ``*``."""
    store = store_of(info)
    return [store.resources[r].grn if r in store.resources else r for r in rule["resources"]]


def resource_spec(res: Resource, info: ResolveInfo) -> dict[str, Any]:
    """The config-as-code document, with references rendered as GRNs."""
    return store_of(info).spec(res)


for _type in ("Model", "SavedExploration", "Metric", "Dashboard"):
    registry.operation(f"{_type}.spec")(resource_spec)
