"""What a Lightdash store holds as portable state (``GET /__mockbi/state``, snapshots), typed for the codec in
``core/state_codec.py``: the store's own class annotations, read once.

The data planes (explores, warehouse rows, catalog) are derived: each is rebuilt on first use from the seed,
the project and ``Project.explores``, so they are not exported; neither is the token lookup cache.
"""

from __future__ import annotations

from mockbi.core.state_codec import StateSpec
from mockbi.vendors.lightdash.store import LightdashStore

STATE = StateSpec.from_annotations(LightdashStore, derived={"data_planes": dict, "_token_index": dict})
