"""What a Lightdash store holds as portable state (``GET /__mockbi/state``, snapshots), typed for the codec in
``core/state_codec.py``.

The data planes (explores, warehouse rows, catalog) are derived: each is rebuilt on first use from the seed,
the project and ``Project.explores``, so they are not exported; neither is the token lookup cache.
"""

from __future__ import annotations

from typing import Any

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.dataplane import Job as QueuedJob

STATE = StateSpec({
    "organizations": dict[str, m.Organization],
    "users": dict[str, m.User],
    "groups": dict[str, m.Group],
    "projects": dict[str, m.Project],
    "spaces": dict[str, m.Space],
    "saved_charts": dict[str, m.SavedChart],
    "dashboards": dict[str, m.Dashboard],
    "pinned_lists": dict[str, m.PinnedList],
    "schedulers": dict[str, m.Scheduler],
    "scheduler_logs": list[m.SchedulerLog],
    "jobs": dict[str, m.Job],
    "queued_jobs": dict[str, QueuedJob],
    "share_urls": dict[str, m.ShareUrl],
    "tags": dict[str, m.Tag],
    "user_attributes": dict[str, m.UserAttribute],
    "tokens": dict[str, m.PersonalAccessToken],
    "ssh_key_pairs": list[m.SshKeyPair],
    "notifications": dict[str, m.Notification],
    "comments": dict[str, m.Comment],
    "validations": dict[int, m.ValidationResult],
    "warehouse_credentials": dict[str, m.UserWarehouseCredentials],
    "credentials_preferences": dict[str, dict[str, str]],
    "email_otps": dict[str, m.EmailOtp],
    "sessions": dict[str, str],
    "catalog_categories": dict[str, list[str]],
    "catalog_icons": dict[str, dict[str, Any] | None],
    "metrics_tree_edges": dict[str, list[tuple[str, str, str, str | None]]],
    "slack_settings": dict[str, Any],
    "github_installation": dict[str, Any] | None,
    "github_oauth_states": dict[str, str],
    "_next_validation_id": int,
    "admin_uuid": str,
    "organization_uuid": str,
    "default_project_uuid": str,
}, derived={"data_planes": dict, "_token_index": dict})
