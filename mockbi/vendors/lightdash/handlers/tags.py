"""Tags (project categories used by the catalog)."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import AlreadyExistsError, NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import projects

registry = Registry("lightdash")


def _tag(store: LightdashStore, req: OpRequest) -> m.Tag:
    tag = store.tags.get(req.path["tagUuid"])
    project_uuid = req.path.get("projectUuid")
    if tag is None or (project_uuid is not None and tag.projectUuid != project_uuid):
        raise NotFoundError("Tag not found")
    store.require_project(me(req), tag.projectUuid, "editor")
    return tag


def _unique(store: LightdashStore, project_uuid: str, name: str, skip: str | None = None) -> None:
    if any(t.name == name and t.projectUuid == project_uuid and t.tagUuid != skip for t in store.tags.values()):
        raise AlreadyExistsError(f'Tag "{name}" already exists')


@registry.operation("createTag")
def create_tag(store: LightdashStore, req: OpRequest) -> Any:
    """Create a tag (editors); 201 with its uuid."""
    user = me(req)
    project = store.require_project(user, req.path["projectUuid"], "editor")
    data = body(req)
    _unique(store, project.projectUuid, data["name"])
    tag = m.Tag(tagUuid=store.new_uuid(), projectUuid=project.projectUuid, name=data["name"], color=data["color"],
                createdAt=store.now_iso(), createdByUserUuid=user.userUuid)
    store.tags[tag.tagUuid] = tag
    return Reply(body={"tagUuid": tag.tagUuid}, status=201)


@registry.operation("getTags")
def get_tags(store: LightdashStore, req: OpRequest) -> Any:
    """Every tag of the project."""
    project = store.require_project(me(req), req.path["projectUuid"])
    return [projects.tag(store, t) for t in store.tags.values() if t.projectUuid == project.projectUuid]


@registry.operation("updateTag")
def update_tag(store: LightdashStore, req: OpRequest) -> Any:
    """Rename or recolour a tag (editors)."""
    tag, data = _tag(store, req), body(req)
    if "name" in data:
        _unique(store, tag.projectUuid, data["name"], tag.tagUuid)
        tag.name = data["name"]
    if "color" in data:
        tag.color = data["color"]
    return None


@registry.operation("deleteTag")
def delete_tag(store: LightdashStore, req: OpRequest) -> Any:
    """Delete a tag and remove it from every catalog item; 200 ``{"status":"ok"}`` (not the spec's 204)."""
    tag = _tag(store, req)
    del store.tags[tag.tagUuid]
    for tag_uuids in store.catalog_categories.values():
        if tag.tagUuid in tag_uuids:
            tag_uuids.remove(tag.tagUuid)
    return None
