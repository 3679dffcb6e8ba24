"""PostHog handlers, one module per area, each with its own ``registry``, merged here by name; every handler
is bound through the ``txt`` renderer (``_common.negotiated``)."""

from __future__ import annotations

from mockbi.core.registry import Registry
from mockbi.vendors.posthog.handlers import collaborators, dashboards, me, sharing, tiles
from mockbi.vendors.posthog.handlers._common import negotiated

registry = Registry.merged("posthog", collaborators.registry, dashboards.registry, me.registry, sharing.registry,
                           tiles.registry, wrap=negotiated)
