"""What a handler receives (:class:`OpRequest`) and may return (:class:`Reply`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDictProxy, MultiMapping
from yarl import URL

if TYPE_CHECKING:
    from mockbi.core.contracts import Operation


@dataclass(slots=True)
class OpRequest:
    """A request that has passed routing, auth and contract validation.

    ``path`` and ``query`` hold values coerced to the contract's types (a repeated or array query
    parameter is a list); ``raw_query`` keeps the strings as sent. ``principal`` is whatever the
    vendor's authenticator returned (a user, a key, ``None`` for public operations).
    """

    operation: Operation
    path: dict[str, Any]
    query: dict[str, Any]
    raw_query: MultiMapping[str]
    headers: CIMultiDictProxy[str]
    body: Any
    #: builds :attr:`url` on first use (most handlers never read it)
    url_of: Callable[[], URL] = field(repr=False)
    principal: Any = None
    cookies: Mapping[str, str] = field(default_factory=dict)
    #: the path the client's base URL adds before the vendor's paths (a tenant's ``/tenants/{name}``), else ""
    prefix: str = ""
    #: ``scheme://host`` as the client addressed us, and the path and query it asked (after ``prefix``), as
    #: sent: together with ``prefix`` they make :attr:`url` (a key for what depends on the URL)
    origin: str = ""
    target: str = ""
    _url: URL | None = field(default=None, repr=False)

    @property
    def url(self) -> URL:
        """The whole URL the client asked, tenant prefix included."""
        if self._url is None:
            self._url = self.url_of()
        return self._url

    @property
    def operation_id(self) -> str:
        return self.operation.operation_id

    @property
    def base_url(self) -> str:
        """The client's base URL: ``scheme://host:port`` as it addressed us, plus its tenant prefix (for absolute
        links to the vendor's paths). ``url`` is the whole URL it asked, prefix included."""
        return f"{self.url.origin()}{self.prefix}"


@dataclass(slots=True)
class Reply:
    """An explicit response from a handler.

    ``status=None`` means the operation's success status from the contract. A ``body`` of ``bytes`` or
    ``str`` is sent as is with ``content_type``; anything else is JSON. ``None`` means an empty body;
    ``empty=True`` (``Reply.no_content()``) sends none even where the contract declares one.
    """

    body: Any = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    empty: bool = False

    @classmethod
    def no_content(cls, status: int = 204, headers: dict[str, str] | None = None) -> Reply:
        return cls(body=None, status=status, headers=dict(headers or {}), empty=True)
