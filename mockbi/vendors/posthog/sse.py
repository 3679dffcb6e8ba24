"""``stream_tiles``: server-sent events framed exactly as PostHog frames them (``data: <json>\\n\\n``, no
``event:``/``id:`` lines): a metadata event with the first two tiles, one event per remaining tile
(``order`` counting from 2), then ``complete``."""

from __future__ import annotations

from typing import Any

import orjson

MEDIA = "text/event-stream"


def event(payload: dict[str, Any]) -> str:
    return "data: " + orjson.dumps(payload).decode() + "\n\n"


def stream(dashboard: dict[str, Any], tiles: list[dict[str, Any]]) -> str:
    """The whole stream for ``dashboard`` (its ``tiles`` key is replaced by the first two of ``tiles``)."""
    parts = [event({"type": "metadata", "dashboard": {**dashboard, "tiles": tiles[:2]}})]
    parts += [event({"type": "tile", "order": order, "tile": tile})
              for order, tile in enumerate(tiles[2:], start=2)]
    parts.append(event({"type": "complete"}))
    return "".join(parts)


def parse(body: str) -> list[dict[str, Any]]:
    """The events of a stream (used by tests and clients of the mock)."""
    return [orjson.loads(chunk[len("data: "):]) for chunk in body.split("\n\n") if chunk.startswith("data: ")]
