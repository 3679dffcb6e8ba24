"""What a PostHog store holds as portable state (``GET /__mockbi/state``, snapshots): the store's own class
annotations, read once, typed for the codec in ``core/state_codec.py``."""

from __future__ import annotations

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.posthog.store import PostHogStore

STATE = StateSpec.from_annotations(PostHogStore)
