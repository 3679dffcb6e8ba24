"""Durable sandbox state (``mockbi serve --state-file PATH``): an append-only request log in SQLite.

Why a request log and not a copy of the world: a world is fully determined by its seed, its scenario and
the requests it answered, each at the instant it saw. So every request that can change a world (every vendor
request, since some reads stamp ``last_accessed_at``, and every admin write) is appended, with the instant
the clock showed while it ran, before its response is sent. A restart rebuilds the seeded world and
replays the log in order with the clock pinned at each recorded instant: ids, RNG draws, timestamps and the
clock itself come back exactly. A write costs one small insert, not a dump of the world.

Why SQLite: WAL mode with ``synchronous=FULL`` makes every committed insert durable (fsync'd) without our
own file format, torn-write handling or recovery code, and it ships with Python. An admin reset truncates the
log and records the new seed and scenario. A file that is not a mockbi state file (wrong header, foreign
``application_id``, failed integrity check) is refused at start with one line and left untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson

from mockbi.core.errors import ConfigError

APPLICATION_ID = 0x6D6B6269  # "mkbi"
FORMAT_VERSION = 1
SQLITE_HEADER = b"SQLite format 3\x00"
#: request headers that describe the connection, not the request: never stored
HOP_BY_HOP = frozenset({"content-length", "connection", "keep-alive", "transfer-encoding",
                        "accept-encoding", "te", "upgrade"})
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  query TEXT NOT NULL,
  headers BLOB NOT NULL,
  body BLOB NOT NULL
);
"""


class StateFileError(ConfigError):
    """The state file cannot be used; the message is one line naming the file and the reason."""


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as it reached the world: enough to send it again."""

    at: datetime
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


def _check_foreign(path: Path) -> None:
    """Refuse a file that is not ours by reading its header only (nothing is written to it)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StateFileError(f"state file {path}: cannot read it ({exc.strerror})") from None
    if len(head) == 0:
        return  # an empty file (e.g. made by mktemp) becomes a new state file
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise StateFileError(f"state file {path} is not a mockbi state file (not SQLite); it was left untouched")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise StateFileError(f"state file {path} belongs to another program (SQLite application_id {app_id:#x}); "
                             "it was left untouched")


class StateFile:
    """The log of one sandbox world. Every method commits before it returns."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(cls, path: str | Path) -> StateFile:
        target = Path(path)
        if target.exists():
            _check_foreign(target)
        elif not target.parent.is_dir():
            raise StateFileError(f"state file {target}: folder {target.parent} does not exist")
        fresh = not target.exists() or target.stat().st_size == 0
        try:
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
            if fresh:  # marked as ours in the main file's header before WAL mode, so a crash cannot lose the mark
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.executescript(SCHEMA)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StateFileError(f"state file {target} is damaged (integrity check failed); it was left as it is")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StateFileError(f"state file {target} cannot be used: {exc}") from None
        state = cls(target, conn)
        version = state.meta().get("format")
        if version not in (None, str(FORMAT_VERSION)):
            raise StateFileError(f"state file {target} has format {version}; this mockbi reads format {FORMAT_VERSION}")
        return state

    def close(self) -> None:
        self._conn.close()

    # --- the world's identity ---------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM meta").fetchall())

    def start_world(self, seed: int, scenario: str, vendors: list[str]) -> None:
        """A new world (first start or a reset): forget the log, remember what the world is built from."""
        with self._transaction():
            self._conn.execute("DELETE FROM log")
            self._conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
                ("format", str(FORMAT_VERSION)), ("seed", str(seed)), ("scenario", scenario),
                ("vendors", ",".join(vendors))])

    def set_meta(self, key: str, value: str) -> None:
        """Remember one more fact about the file (a tenant's ``pinned``); kept across resets."""
        with self._transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- the log ----------------------------------------------------------------------------------------
    def append(self, entry: LoggedRequest) -> None:
        """Durable when this returns (WAL, synchronous=FULL)."""
        headers = {k: v for k, v in entry.headers.items() if k.lower() not in HOP_BY_HOP}
        with self._transaction():
            self._conn.execute("INSERT INTO log (at, method, path, query, headers, body) VALUES (?, ?, ?, ?, ?, ?)",
                               (entry.at.isoformat(), entry.method, entry.path, entry.query, orjson.dumps(headers),
                                entry.body))

    def entries(self) -> list[LoggedRequest]:
        rows = self._conn.execute("SELECT at, method, path, query, headers, body FROM log ORDER BY seq").fetchall()
        return [LoggedRequest(datetime.fromisoformat(at), method, path, query, orjson.loads(headers), bytes(body))
                for at, method, path, query, headers, body in rows]

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM log").fetchone()[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN IMMEDIATE")
        return self._conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
