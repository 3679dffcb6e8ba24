"""Projects as the API sends them: a project (its connections without their secrets), a project in the
organization's list, project members, tags and share links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash import warehouses
from mockbi.vendors.lightdash.wire.common import compact, updated_by

if TYPE_CHECKING:
    from mockbi.vendors.lightdash.store import LightdashStore


def org_project(project: m.Project) -> dict[str, Any]:
    return {"projectUuid": project.projectUuid, "name": project.name, "type": project.type,
            "createdByUserUuid": project.createdByUserUuid, "upstreamProjectUuid": project.upstreamProjectUuid,
            "warehouseType": project.warehouseConnection.get("type", "postgres"),
            "requireUserCredentials": bool(project.warehouseConnection.get("requireUserCredentials", False))}


def project(p: m.Project) -> dict[str, Any]:
    """``Project``: the warehouse connection without its sensitive fields, as the API sends it."""
    dbt = {k: v for k, v in p.dbtConnection.items() if k not in ("personal_access_token", "api_key")}
    if dbt.get("type") == "github":
        dbt.setdefault("personal_access_token", "")  # required by the schema; the secret is never sent
    warehouse = warehouses.public(p.warehouseConnection)
    return compact({"organizationUuid": p.organizationUuid, "projectUuid": p.projectUuid, "name": p.name,
                    "type": p.type, "dbtConnection": dbt, "upstreamProjectUuid": p.upstreamProjectUuid,
                    "warehouseConnection": warehouse, "pinnedListUuid": p.pinnedListUuid,
                    "dbtVersion": p.dbtVersion, "schedulerTimezone": p.schedulerTimezone,
                    "semanticLayerConnection": p.semanticLayerConnection}) | {"createdByUserUuid": p.createdByUserUuid}


def project_member(user: m.User, project_uuid: str, role: str) -> dict[str, Any]:
    return {"userUuid": user.userUuid, "projectUuid": project_uuid, "role": role, "email": user.email,
            "firstName": user.firstName, "lastName": user.lastName}


def tag(store: LightdashStore, t: m.Tag) -> dict[str, Any]:
    return {"tagUuid": t.tagUuid, "projectUuid": t.projectUuid, "name": t.name, "color": t.color,
            "createdAt": t.createdAt, "createdBy": updated_by(store, t.createdByUserUuid)}


def share_url(s: m.ShareUrl, base_url: str) -> dict[str, Any]:
    return {"nanoid": s.nanoid, "path": s.path, "params": s.params, "organizationUuid": s.organizationUuid,
            "createdByUserUuid": s.createdByUserUuid, "shareUrl": f"{base_url}/share/{s.nanoid}",
            "url": f"{base_url}{s.path}{s.params}", "host": base_url}
