"""Share links: short ``nanoid`` URLs for a path and its query string."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.errors import NotFoundError
from mockbi.vendors.lightdash.handlers._common import body, me
from mockbi.vendors.lightdash.store import LightdashStore
from mockbi.vendors.lightdash.wire import projects

registry = Registry("lightdash")


@registry.operation("getShareUrl")
def get_share_url(store: LightdashStore, req: OpRequest) -> Any:
    """Resolve a share link of the caller's organization."""
    share = store.share_urls.get(req.path["nanoId"])
    if share is None or share.organizationUuid != me(req).organizationUuid:
        raise NotFoundError("Share url not found")
    return projects.share_url(share, req.base_url)


@registry.operation("CreateShareUrl")
def create_share_url(store: LightdashStore, req: OpRequest) -> Any:
    """Create a share link; 201."""
    user, data = me(req), body(req)
    share = m.ShareUrl(nanoid=store.nanoid(), path=data["path"], params=data["params"],
                       organizationUuid=user.organizationUuid or "", createdByUserUuid=user.userUuid,
                       createdAt=store.now_iso())
    store.share_urls[share.nanoid] = share
    return Reply(body=projects.share_url(share, req.base_url), status=201)
