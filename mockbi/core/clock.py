"""An injectable clock: every timestamp a store writes comes from here, never from ``datetime.now()``.

``frozen`` clocks only move when told to (tests); ``wall`` clocks advance with real time from a fixed
start instant (the ``serve`` sandbox, so polling clients see asynchronous work finish).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Literal

ClockMode = Literal["frozen", "wall"]

DEFAULT_START = datetime(2025, 1, 15, 9, 30, 0, tzinfo=UTC)


class Clock:
    """A clock that starts at ``start`` and moves either with wall time or only when advanced.

    Every change is checked before it is applied: a move past ``datetime.max`` (year 9999) or backwards
    raises ``ValueError`` and leaves the clock as it was.
    """

    __slots__ = ("_start", "_mode", "_initial_mode", "_offset", "_anchor", "_mode_changes", "_text")

    def __init__(self, start: datetime = DEFAULT_START, mode: ClockMode = "frozen") -> None:
        if start.tzinfo is None:
            raise ValueError("Clock start must be timezone-aware")
        self._start = start
        self._mode: ClockMode = mode
        self._initial_mode: ClockMode = mode
        self._offset = timedelta()
        self._anchor = time.monotonic()
        self._mode_changes = 0
        self._text: tuple[datetime, str] | None = None

    @property
    def mode(self) -> ClockMode:
        return self._mode

    @property
    def start(self) -> datetime:
        return self._start

    def now(self) -> datetime:
        """The current instant (UTC, timezone-aware)."""
        if self._mode == "wall":
            return self._start + self._offset + timedelta(seconds=time.monotonic() - self._anchor)
        return self._start + self._offset

    def now_text(self) -> str:
        """``isoformat_z(self.now())``, kept while the clock shows the same instant (a frozen clock stamps
        every journal entry with the same text)."""
        now = self.now()
        kept = self._text
        if kept is None or kept[0] != now:
            self._text = kept = (now, isoformat_z(now))
        return kept[1]

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (never backwards) and return the new instant."""
        if not seconds >= 0:  # also refuses NaN
            raise ValueError("the clock only moves forward")
        try:
            step = timedelta(seconds=seconds)
            moved = self.now() + step
        except (OverflowError, ValueError):
            raise ValueError("the clock cannot move past year 9999") from None
        self._offset += step
        return moved

    def set(self, instant: datetime) -> datetime:
        """Jump to ``instant`` (must not be before the current time)."""
        if instant.tzinfo is None:
            raise ValueError("instant must be timezone-aware")
        delta = (instant - self.now()).total_seconds()
        if delta < 0:
            raise ValueError("the clock only moves forward")
        return self.advance(delta)

    def freeze(self) -> None:
        """Stop following wall time, keeping the current instant."""
        if self._mode == "wall":
            self._offset = self.now() - self._start
            self._mode = "frozen"
        self._mode_changes += 1

    def unfreeze(self) -> None:
        """Follow wall time from the current instant on."""
        if self._mode == "frozen":
            self._anchor = time.monotonic()
            self._mode = "wall"
        self._mode_changes += 1

    @contextmanager
    def pinned(self, instant: datetime) -> Iterator[None]:
        """Read exactly ``instant`` while the block runs (a durable request and its replay see one instant),
        then go on from wherever the block left the clock: in the mode it chose if it froze or unfroze
        the clock, else in the mode it had before."""
        outer_mode, changes = self._mode, self._mode_changes
        self._offset = instant - self._start
        self._mode = "frozen"
        try:
            yield
        finally:
            if self._mode_changes == changes:
                self._mode = outer_mode
            self._anchor = time.monotonic()

    def export_state(self) -> dict[str, str | int]:
        """The clock as plain data (``core/state.py``): start instant, microseconds elapsed, modes."""
        elapsed = self.now() - self._start
        micros = (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000 + elapsed.microseconds
        return {"start": self._start.isoformat(), "elapsed_us": micros, "mode": self._mode,
                "initial_mode": self._initial_mode}

    def load_state(self, start: datetime, elapsed_us: int, mode: ClockMode, initial_mode: ClockMode) -> None:
        """Put the clock where ``export_state`` found it (arguments checked by the caller)."""
        self._start = start
        self._offset = timedelta(microseconds=elapsed_us)
        self._mode, self._initial_mode = mode, initial_mode
        self._anchor = time.monotonic()

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Back to the start instant and held exactly there while a world is built (so seeded timestamps
        never carry the build's duration), then on in the configured mode from that instant."""
        self._offset = timedelta()
        self._mode = "frozen"
        try:
            yield
        finally:
            self._mode = self._initial_mode
            self._anchor = time.monotonic()


def isoformat_z(instant: datetime, *, micros: bool = True) -> str:
    """ISO-8601 UTC with a ``Z`` suffix: ``2025-01-15T09:30:00.000000Z`` (or milliseconds when ``micros`` is off).

    Built on ``datetime.isoformat`` (several times faster than ``strftime``): it runs for every timestamp of
    every response, so the common case (an aware UTC instant) is a single call.
    """
    text = instant.isoformat(timespec="microseconds" if micros else "milliseconds")
    if text.endswith("+00:00"):
        return text[:-6] + "Z"
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(
        timespec="microseconds" if micros else "milliseconds") + "Z"
