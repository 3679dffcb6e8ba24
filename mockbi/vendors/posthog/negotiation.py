"""DRF's renderer negotiation (``DefaultContentNegotiation.select_renderer``) as PostHog configures it.

PostHog's default renderer is ``SafeJSONRenderer`` (``application/json``, format ``json``); the dashboard
viewset adds ``ServerSentEventRenderer`` (``text/event-stream``, format ``txt``). A ``?format=`` value
keeps only the renderers of that format (none left: 404). Then the ``Accept`` tokens are grouped by
specificity (``type/subtype;param`` > ``type/subtype`` > ``type/*`` > ``*/*``; ``q`` values play no part)
and, most specific group first, the first renderer in the view's order that any token of the group
matches wins. No match is DRF's ``NotAcceptable``: 406, rendered as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable

JSON = ("json", "application/json")
TXT = ("txt", "text/event-stream")
#: PostHog's ``DEFAULT_RENDERER_CLASSES``
DEFAULT_RENDERERS: tuple[tuple[str, str], ...] = (JSON,)
#: ``DashboardsViewSet.renderer_classes``
DASHBOARD_RENDERERS: tuple[tuple[str, str], ...] = (JSON, TXT)


class UnknownFormat(Exception):
    """``?format=`` names no renderer of the view (DRF raises Http404)."""


class NotAcceptable(Exception):
    """No renderer satisfies the ``Accept`` header (DRF's ``NotAcceptable``)."""


def _parse(token: str) -> tuple[str, str, int]:
    """(main type, subtype, precedence) of one ``Accept`` token, as DRF's ``_MediaType`` reads it."""
    full, *params = token.split(";")
    main, _, sub = full.strip().lower().partition("/")
    names = {p.partition("=")[0].strip().lower() for p in params if "=" in p}
    if main == "*":
        return main, sub, 0
    if sub == "*":
        return main, sub, 1
    return main, sub, 2 if names <= {"q"} else 3


def select(accept: Iterable[str], fmt: str | None, renderers: tuple[tuple[str, str], ...]) -> str:
    """The format of the renderer DRF picks for these ``Accept`` header values (``*/*`` when none)."""
    if fmt:
        renderers = tuple(r for r in renderers if r[0] == fmt)
        if not renderers:
            raise UnknownFormat(fmt)
    header = ",".join(accept) or "*/*"
    if header == "*/*" or (header == JSON[1] and renderers[0] == JSON):  # most requests: the first renderer
        return renderers[0][0]
    tokens = [_parse(t) for t in header.split(",")]
    for level in (3, 2, 1, 0):
        group = [(main, sub) for main, sub, precedence in tokens if precedence == level]
        for name, media in renderers:
            r_main, _, r_sub = media.partition("/")
            if any(main in ("*", r_main) and sub in ("*", r_sub) for main, sub in group):
                return name
    raise NotAcceptable(header)
