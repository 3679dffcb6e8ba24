"""Durable tenants: under ``mockbi serve --state-file PATH`` each tenant logs its world in a state file of its
own, ``PATH.tenants/NAME.sqlite``, exactly as the server logs its own (``core/durable.py``): every acknowledged
write is on disk before its answer. A tenant comes back on its first use after a restart (or after it was
evicted to make room: eviction unloads a durable tenant, it does not lose it), built from the seed, scenario
and pinning its file records, its log replayed. ``DELETE /__mockbi/tenants/{name}`` removes the file too.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from mockbi.core.durable import StateFile, StateFileError
from mockbi.core.durable_app import replay
from mockbi.core.tenants import TENANT_RUNNER, TenantError, TenantSpec, check_name
from mockbi.keys import DURABLE


class TenantFiles:
    """The folder of one server's tenant state files."""

    def __init__(self, state_file: str) -> None:
        self.folder = Path(f"{state_file}.tenants")

    def path_for(self, name: str) -> Path:
        """The state file of tenant ``name`` (the folder is made on the first durable tenant)."""
        self.folder.mkdir(exist_ok=True)
        return self.folder / f"{check_name(name)}.sqlite"

    def stored(self, name: str) -> TenantSpec | None:
        """The spec tenant ``name``'s file records, or None when it has no file (or an empty one)."""
        path = self.folder / f"{check_name(name)}.sqlite"
        if not path.exists():
            return None
        try:
            state = StateFile.open(path)
        except StateFileError as exc:
            raise TenantError(str(exc), 503) from None
        try:
            meta = state.meta()
        finally:
            state.close()
        if "seed" not in meta:
            return None
        return TenantSpec(name, int(meta["seed"]), meta["scenario"], meta.get("pinned") == "1")

    def names(self) -> list[str]:
        """The tenants with a state file, by name."""
        if not self.folder.is_dir():
            return []
        return sorted(path.stem for path in self.folder.glob("*.sqlite"))

    def discard(self, name: str) -> bool:
        """Delete tenant ``name``'s file (and SQLite's companions); whether there was one."""
        path = self.folder / f"{check_name(name)}.sqlite"
        existed = path.exists()
        for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            companion.unlink(missing_ok=True)
        return existed


async def start_durable(app: web.Application, spec: TenantSpec) -> None:
    """Start a durable tenant's app and bring its world back: a runner of its own (kept under
    ``TENANT_RUNNER``, stopped with the app), the log replayed through it, the pinning recorded."""
    runner = web.AppRunner(app, handle_signals=False)
    app[TENANT_RUNNER] = runner
    await runner.setup()
    durable = app[DURABLE]
    await replay(app, runner, durable)
    durable.state.set_meta("pinned", "1" if spec.pinned else "0")
