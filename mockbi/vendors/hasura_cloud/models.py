"""Hasura Cloud records. Fields keep the contract's spelling so default resolvers can read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class User:
    """A Cloud account; each of its personal access tokens sees every project it owns."""

    id: str
    email: str
    tokens: list[str]


@dataclass(slots=True)
class Region:
    name: str
    cloud: str
    nat_ip: str | None
    is_active: bool


@dataclass(slots=True)
class Project:
    id: str
    name: str
    tenant_id: str
    owner_id: str
    created_at: datetime
    updated_at: datetime

    @property
    def endpoint(self) -> str:
        return f"https://{self.name}.hasura.app/v1/graphql"


@dataclass(slots=True)
class Tenant:
    """The API entity behind a project; env vars and their hash live here."""

    id: str
    project_id: str
    owner_id: str
    cloud: str
    region: str
    plan: str
    environment: dict[str, str]
    hash: str
    created_at: datetime
    updated_at: datetime
    active: bool = True
    active_status_reason: str | None = None
    #: set when a preview app created it (the app's name, for replace-on-recreate)
    preview_app: str | None = None


@dataclass(slots=True)
class CustomDomain:
    id: str
    fqdn: str
    tenant_id: str
    created_at: datetime
    cert: Any = None
    dns_validation: Any = None


@dataclass(slots=True)
class TaskEvent:
    """One event of a task; invisible until the clock reaches ``at``."""

    id: str
    event_type: str
    at: datetime
    public_event_data: Any = None
    error: str | None = None
    github_detail: str | None = None


@dataclass(slots=True)
class Task:
    id: str
    name: str
    cloud: str | None
    region: str | None
    events: list[TaskEvent] = field(default_factory=list)


@dataclass(slots=True)
class Effect:
    """A change to the world that a job makes when the clock reaches ``at`` (e.g. creating the project)."""

    at: datetime
    kind: str
    data: dict[str, Any]


@dataclass(slots=True)
class Job:
    """An asynchronous job whose history is planned up front and revealed by the clock.

    ``timeline`` is a list of ``(instant, status)``; the status at a given instant is the last entry not
    after it. ``visible_from`` hides a job that has not been started yet (a deployment job queued by a
    preview-app job that is still running).
    """

    id: str
    kind: str  # "preview_app" | "github_deployment"
    owner_id: str
    created_at: datetime
    timeline: list[tuple[datetime, str]]
    tasks: list[Task]
    effects: list[Effect] = field(default_factory=list)
    app_name: str | None = None

    @property
    def visible_from(self) -> datetime:
        return self.timeline[0][0]

    def status_at(self, now: datetime) -> str:
        status = self.timeline[0][1]
        for at, value in self.timeline:
            if at <= now:
                status = value
        return status

    def updated_at(self, now: datetime) -> datetime:
        seen = [at for at, _ in self.timeline if at <= now]
        seen += [e.at for t in self.tasks for e in t.events if e.at <= now]
        return max(seen) if seen else self.created_at

    def finished_at(self) -> datetime:
        return self.timeline[-1][0]
