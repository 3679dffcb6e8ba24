"""What a Hasura Cloud store holds as portable state (``GET /__mockbi/state``, snapshots): the store's own
class annotations, read once, typed for the codec in ``core/state_codec.py``. A pending job effect holds the
deployment job it will publish: a record inside untyped data, which the codec tags."""

from __future__ import annotations

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.hasura_cloud.store import HasuraCloudStore

STATE = StateSpec.from_annotations(HasuraCloudStore)
