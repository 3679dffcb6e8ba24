"""``serve --watch``: scenario files edited under ``--scenario-dir`` take effect at the next reset.

The folders are scanned (names, sizes, modification times) when a reset comes, not polled: a change since the
last look rebuilds the scenario's world from the edited files, with a log line; a file that no longer loads
logs its error and the previous world is kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("mockbi")
Fingerprint = tuple[tuple[str, int, int], ...]


class ScenarioWatch:
    """What the scenario folders held at the last look."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self.folders = folders
        self.fingerprint = self._scan()

    def _scan(self) -> Fingerprint:
        found: list[tuple[str, int, int]] = []
        for folder in self.folders:
            for path in Path(folder).rglob("*"):
                if path.suffix in (".yaml", ".yml") and path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(sorted(found))

    def changed(self) -> bool:
        """True once per change (the new state becomes the one compared with next time)."""
        now = self._scan()
        if now == self.fingerprint:
            return False
        self.fingerprint = now
        return True
