"""The per-contract cache of parsed and checked GraphQL documents, bounded in entries and in bytes.

Clients resend the same few documents, so parsing and validating each text once pays. The cache only ever
holds what was accepted: the pipeline stores a parsed document, or a "no limit exceeded" / "valid" verdict,
and never a parse error or a rejection (those are recomputed; the token cap keeps that cheap). Its size is
charged by the length of the query text each entry was computed from (a parsed document takes roughly 50 to
130 times its text in memory), so a few huge documents cannot crowd the process, and a document larger than
an eighth of the budget is not kept at all. Nothing in it depends on the seeded world: a reset has no reason
to clear it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

#: most entries kept (parse, limits and validation verdicts count separately)
CACHE_SIZE = 512
#: most characters of query text the entries were computed from (≈ 15–35 MB of parsed documents)
CACHE_BYTES = 256 * 1024


class DocumentCache:
    """An LRU map whose entries each carry a size; the total size and the entry count are both bounded."""

    def __init__(self, max_entries: int = CACHE_SIZE, max_bytes: int = CACHE_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """The total size charged to the entries kept now."""
        return self._bytes

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` for a kept entry (now the most recent), else ``(False, None)``."""
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        self._entries.move_to_end(key)
        return True, entry[0]

    def put(self, key: Hashable, value: Any, size: int = 0) -> None:
        """Keep ``value`` unless it alone would take more than an eighth of the byte budget."""
        if size > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        self._entries[key] = (value, size)
        self._bytes += size
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    def cached(self, key: Hashable, compute: Callable[[], Any], *, size: int = 0,
               keep: Callable[[Any], bool] | None = None) -> Any:
        """``compute()`` once per ``key`` while it stays cached; a result ``keep`` refuses is not kept."""
        found, value = self.get(key)
        if found:
            return value
        value = compute()
        if keep is None or keep(value):
            self.put(key, value, size)
        return value

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
