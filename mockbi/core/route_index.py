"""Route resolution that does not grow with the number of routes under one prefix.

aiohttp indexes a dynamic resource by its path up to the first ``{param}``: Lightdash's 60-odd
``/api/v1/projects/{projectUuid}/...`` routes share one key, and a request under it tried every one of them,
a regular expression each (27 µs for ``runQuery``, most of the routing of the request). ``RouteBuilder``
creates the resources as ``router.add_route`` would (same classes, same order, the last resource reused for
the same path) and registers the resources of one key as one ``IndexedResources``: it walks the request's
path segments through a segment tree to the few resources whose shape fits, then lets each of those match as
before, in registration order. The answer is the one aiohttp's linear scan gives (the match, the match dict,
the allowed methods of a 405); only the resources that cannot fit are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_urldispatcher import _InfoDict, _Resolve
from yarl import URL

#: fewer resources under one key are tried one by one, as aiohttp does (a regex each costs less than the walk)
GROUP_FROM = 6
#: paths whose candidates a group remembers (then it forgets them all and starts again)
SEEN_PATHS = 4096
#: the longest path remembered (4,096 of them take at most ~1 MB)
SEEN_PATH_LENGTH = 256
#: a whole segment aiohttp matches with its default ``[^{}/]+``
PARAM = re.compile(r"\{[_a-zA-Z][_a-zA-Z0-9]*\}")


def index_key(canonical: str) -> str:
    """The key aiohttp's ``UrlDispatcher`` indexes a resource with (``_get_resource_index_key``)."""
    if "{" in canonical:
        canonical = canonical.partition("{")[0].rpartition("/")[0]
    return canonical.rstrip("/") or "/"


@dataclass(slots=True)
class _Node:
    static: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    ends: list[int] = field(default_factory=list)


class IndexedResources(web.AbstractResource):
    """The resources of one index key, resolved through a segment tree (see the module)."""

    def __init__(self, key: str, members: list[web.Resource], shapes: list[list[str] | None]) -> None:
        super().__init__()
        self._key = key
        self._members = members
        self._root = _Node()
        self._seen: dict[str, list[int]] = {}
        self._anywhere = [i for i, shape in enumerate(shapes) if shape is None]  # shapes the tree cannot hold
        for i, shape in enumerate(shapes):
            if shape is not None:
                self._insert(i, shape)

    def _insert(self, position: int, segments: list[str]) -> None:
        node = self._root
        for segment in segments:
            if PARAM.fullmatch(segment):
                node.param = node.param or _Node()
                node = node.param
            else:
                node = node.static.setdefault(segment, _Node())
        node.ends.append(position)

    def candidates(self, path: str) -> list[int]:
        """Positions of the members whose shape fits ``path``, in registration order."""
        bare = "{" not in path and "}" not in path  # a parameter takes any non-empty segment without braces
        nodes = [self._root]
        for segment in path.split("/"):
            following = []
            for node in nodes:
                if (child := node.static.get(segment)) is not None:
                    following.append(child)
                if node.param is not None and segment and bare:
                    following.append(node.param)
            if not following:
                return self._anywhere
            nodes = following
        if len(nodes) == 1 and not self._anywhere:
            return nodes[0].ends
        return sorted(self._anywhere + [position for node in nodes for position in node.ends])

    async def resolve(self, request: web.Request) -> _Resolve:
        path = request.rel_url.path_safe
        positions = self._seen.get(path)
        if positions is None:  # paths repeat (a test suite asks the same few ids): walk each once
            positions = self.candidates(path)
            if len(path) <= SEEN_PATH_LENGTH:  # bounded in bytes too: a flood of long paths is not kept
                if len(self._seen) >= SEEN_PATHS:
                    self._seen.clear()
                self._seen[path] = positions
        allowed: set[str] = set()
        for position in positions:
            match, methods = await self._members[position].resolve(request)
            if match is not None:
                return match, methods
            allowed |= methods
        return None, allowed

    @property
    def canonical(self) -> str:
        return self._key

    def url_for(self, **kwargs: str) -> URL:
        raise RuntimeError(f"the routes under {self._key} are many resources: ask one of them")

    def add_prefix(self, prefix: str) -> None:
        raise RuntimeError("contract routes are not mounted under a prefix")

    def get_info(self) -> _InfoDict:
        return {"path": self._key}

    def raw_match(self, path: str) -> bool:
        return False

    def freeze(self) -> None:
        for member in self._members:
            member.freeze()

    def __len__(self) -> int:
        return sum(len(member) for member in self._members)

    def __iter__(self) -> Iterator[web.AbstractRoute]:
        for member in self._members:
            yield from member

    def __repr__(self) -> str:
        return f"<IndexedResources {self._key} ({len(self._members)} resources)>"


class RouteBuilder:
    """``add_route`` as ``UrlDispatcher.add_route`` does it, registered by ``register`` as indexed groups."""

    def __init__(self) -> None:
        self._resources: list[tuple[str, web.Resource]] = []

    def add_route(self, method: str, path: str, handler: Any) -> None:
        if not self._resources or self._resources[-1][0] != path:  # aiohttp reuses only the last resource
            resource: web.Resource = (web.DynamicResource(path) if "{" in path or "}" in path
                                      else web.PlainResource(path))
            self._resources.append((path, resource))
        self._resources[-1][1].add_route(method, handler)

    def register(self, router: web.UrlDispatcher) -> None:
        groups: dict[str, list[tuple[str, web.Resource]]] = {}
        for path, resource in self._resources:
            groups.setdefault(index_key(resource.canonical), []).append((path, resource))
        for key, members in groups.items():
            if len(members) < GROUP_FROM:
                for _, resource in members:
                    router.register_resource(resource)
            else:
                router.register_resource(IndexedResources(key, [r for _, r in members],
                                                          [_shape(path, r) for path, r in members]))


def _shape(path: str, resource: web.Resource) -> list[str] | None:
    """The resource's segments (requoted literals and ``{name}`` parameters), or None when a segment mixes
    them or a parameter has its own pattern (such a resource is tried for every request of its key)."""
    if re.search(r"\{[^}]*:", path):
        return None
    segments = resource.canonical.split("/")
    if any(("{" in s or "}" in s) and not PARAM.fullmatch(s) for s in segments):
        return None
    return segments
