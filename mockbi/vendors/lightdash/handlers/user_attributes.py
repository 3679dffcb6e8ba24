"""User attributes: organization-wide attributes with per-user and per-group values."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import AlreadyExistsError, NotFoundError, ParameterError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import people

registry = Registry("lightdash")


def _values(store: LightdashStore, org_uuid: str, data: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Check and collect user and group values (validated before anything changes)."""
    users, groups = {}, {}
    for item in data["users"]:
        user = store.users.get(item["userUuid"])
        if user is None or user.organizationUuid != org_uuid:
            raise NotFoundError(f"Cannot find user with uuid {item['userUuid']}")
        users[user.userUuid] = item["value"]
    for item in data["groups"]:
        group = store.groups.get(item["groupUuid"])
        if group is None or group.organizationUuid != org_uuid:
            raise NotFoundError(f"Group with uuid {item['groupUuid']} does not exist")
        groups[group.uuid] = item["value"]
    return users, groups


def _check_name(store: LightdashStore, org_uuid: str, name: str, skip: str | None = None) -> None:
    if not name.replace("_", "").isalnum() or not name.strip():
        raise ParameterError("Attribute name can only contain letters, numbers and underscores")
    if any(a.name == name and a.organizationUuid == org_uuid and a.uuid != skip
           for a in store.user_attributes.values()):
        raise AlreadyExistsError(f'Attribute "{name}" already exists')


@registry.operation("getUserAttributes")
def get_user_attributes(store: LightdashStore, req: OpRequest) -> Any:
    """Every user attribute of the organization with its values."""
    user = me(req)
    return [people.user_attribute(store, a) for a in store.user_attributes.values()
            if a.organizationUuid == user.organizationUuid]


@registry.operation("createUserAttribute")
def create_user_attribute(store: LightdashStore, req: OpRequest) -> Any:
    """Create a user attribute (admins); 201 (the spec says 200)."""
    user = me(req)
    store.require_org_admin(user)
    data = body(req)
    org_uuid = user.organizationUuid or ""
    _check_name(store, org_uuid, data["name"])
    users, groups = _values(store, org_uuid, data)
    attribute = m.UserAttribute(uuid=store.new_uuid(), organizationUuid=org_uuid, name=data["name"],
                                description=data.get("description"), attributeDefault=data["attributeDefault"],
                                createdAt=store.now_iso(), users=users, groups=groups)
    store.user_attributes[attribute.uuid] = attribute
    return Reply(body=people.user_attribute(store, attribute), status=201)


def _attribute(store: LightdashStore, req: OpRequest) -> m.UserAttribute:
    user = me(req)
    store.require_org_admin(user)
    attribute = store.user_attributes.get(req.path["userAttributeUuid"])
    if attribute is None or attribute.organizationUuid != user.organizationUuid:
        raise NotFoundError("User attribute not found")
    return attribute


@registry.operation("updateUserAttribute")
def update_user_attribute(store: LightdashStore, req: OpRequest) -> Any:
    """Replace a user attribute and its values (admins); 201 (the spec says 200)."""
    attribute, data = _attribute(store, req), body(req)
    _check_name(store, attribute.organizationUuid, data["name"], attribute.uuid)
    users, groups = _values(store, attribute.organizationUuid, data)
    attribute.name, attribute.description = data["name"], data.get("description")
    attribute.attributeDefault, attribute.users, attribute.groups = data["attributeDefault"], users, groups
    return Reply(body=people.user_attribute(store, attribute), status=201)


@registry.operation("removeUserAttribute")
def remove_user_attribute(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a user attribute (admins)."""
    del store.user_attributes[_attribute(store, req).uuid]
    return None
