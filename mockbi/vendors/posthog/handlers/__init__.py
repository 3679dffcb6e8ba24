"""PostHog handlers, split by area; importing this package binds them all to ``registry``."""

from __future__ import annotations

from mockbi.vendors.posthog.handlers import collaborators, dashboards, me, sharing, tiles
from mockbi.vendors.posthog.handlers._common import registry

__all__ = ["collaborators", "dashboards", "me", "registry", "sharing", "tiles"]
