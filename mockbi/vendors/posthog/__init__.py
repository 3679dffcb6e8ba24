"""PostHog Dashboards REST API (PostHog Cloud, about October 2025): ``VENDOR`` for the engine. The package
follows the vendor skeleton (docs/ARCHITECTURE.md); the quirks are the hooks in ``vendor.py``."""

from __future__ import annotations

from mockbi.vendors.posthog.vendor import PostHog

VENDOR = PostHog()
