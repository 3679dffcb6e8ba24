"""The Hashboard store: one seeded world, plus the Python API tests use to arrange a project."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from mockbi.core.encoding import json_copy
from mockbi.core.storable import MAX_DEPTH, first_unstorable
from mockbi.core.store import Store
from mockbi.vendors.hashboard.errors import ArrangeError
from mockbi.vendors.hashboard.models import (
    ALIAS,
    HB_VERSION,
    PREFIX,
    TYPE_OF_PREFIX,
    URLSAFE,
    AccessKey,
    Project,
    Resource,
    Role,
    User,
    parse_grn,
)

RESERVED_SPEC_KEYS = ("hbVersion", "type", "name", "alias", "grn", "model")
#: GraphQL ``Int`` is a signed 32-bit integer: a larger view count could never be read back
MAX_VIEWS = 2**31 - 1


class HashboardStore(Store):
    vendor = "hashboard"
    scenario_keys = {"projects": list}
    # the world's state, as the portable-state codec reads it (``state.py``)
    projects: dict[str, Project]
    resources: dict[str, Resource]
    users: dict[str, User]
    roles: dict[str, Role]
    access_keys: dict[str, AccessKey]

    def build(self) -> None:
        from mockbi.vendors.hashboard.seed import build_world

        self.projects = {}
        self.resources = {}
        self.users = {}
        self.roles = {}
        self.access_keys = {}
        build_world(self, self.ctx.scenario_data, empty=self.ctx.scenario == "empty")

    def credentials(self) -> dict[str, Any]:
        first = next(iter(self.projects.values()), None)
        if first is None:
            return {}
        return {"api_token": self.token_for(first.id), "project_id": first.id}

    # --- ids ---------------------------------------------------------------------------------------
    def short_id(self) -> str:
        """A 16-character URL-safe id, the shape of resources created in the app."""
        return self.token(16, URLSAFE)

    # --- reading -----------------------------------------------------------------------------------
    def project(self, project_id: str) -> Project | None:
        return self.projects.get(project_id)

    def resources_of(self, project: Project, rtype: str) -> list[Resource]:
        return [self.resources[k] for k in project.resource_keys[rtype]]

    def saved_explorations_of(self, model: Resource) -> list[Resource]:
        return [self.resources[k] for k in model.saved_exploration_keys]

    def spec(self, res: Resource) -> dict[str, Any]:
        """The resource's config-as-code document, references rendered as GRNs (``m::orders``)."""
        doc: dict[str, Any] = {"hbVersion": HB_VERSION, "type": res.type, "name": res.name}
        if res.alias:
            doc["alias"] = res.alias
        doc["grn"] = res.grn
        body: dict[str, Any] = json_copy(res.body)
        if res.type == "saved_exploration" and res.model_key:
            doc["model"] = self.resources[res.model_key].ref
        if res.type == "metric" and res.model_key:
            body.setdefault("config", {})["dataModel"] = self.resources[res.model_key].ref
        if res.type == "dashboard":
            for block in _blocks(body):
                target = self.resources.get(block.get("savedExploration", ""))
                if target is not None:
                    block["savedExploration"] = target.ref
        doc.update(body)
        return doc

    def users_of(self, project: Project) -> list[dict[str, Any]]:
        rows = []
        for user_id, role_ids in project.members.items():
            user = self.users[user_id]
            rows.append({"id": user.id, "fullName": user.fullName, "displayName": user.displayName,
                         "email": user.email, "roles": [self.roles[r].name for r in role_ids]})
        return rows

    def roles_of(self, project: Project) -> list[Role]:
        return [self.roles[r] for r in project.role_ids]

    def token_for(self, project_id: str) -> str:
        """The API token of the project's first (seeded) access key."""
        key = next(k for k in self.access_keys.values() if k.project_id == project_id)
        return key.api_token

    def resolve_ref(self, project: Project, text: str, rtype: str) -> Resource:
        """A resource of ``project`` from a GRN (``type:id``, ``type:id:alias``, ``type::alias``) or bare id."""
        parsed = parse_grn(text) if ":" in text else (PREFIX[rtype], text, "")
        if parsed is None or TYPE_OF_PREFIX.get(parsed[0]) != rtype:
            raise ArrangeError(f"{text!r} is not a {rtype} GRN")
        _, rid, alias = parsed
        for res in self.resources_of(project, rtype):
            if (rid and res.id == rid) or (not rid and alias and res.alias == alias):
                return res
        raise ArrangeError(f"no {rtype} {text!r} in project {project.id}")

    # --- arranging (seed and tests) -------------------------------------------------------------------
    def add_project(self, name: str, project_id: str | None = None) -> Project:
        project = Project(id=project_id or self.new_uuid(), name=name)
        self.projects[project.id] = project
        return project

    def add_user(self, project_id: str, role_names: list[str], *, full_name: str | None = None,
                 email: str | None = None, user_id: str | None = None) -> User:
        project = self._project(project_id)
        if user_id is not None and user_id in self.users:
            user = self.users[user_id]
        else:
            full_name = full_name or self.faker.name()
            first = full_name.split()[0]
            user = User(id=user_id or self.new_uuid(), fullName=full_name, displayName=first,
                        email=email or f"{first.lower()}.{self.short_id()[:4].lower()}@{self.faker.domain_name()}")
            self.users[user.id] = user
        by_name = {self.roles[r].name: r for r in project.role_ids}
        unknown = [n for n in role_names if n not in by_name]
        if unknown:
            raise ArrangeError(f"unknown role(s) {unknown} in project {project_id}")
        project.members[user.id] = [by_name[n] for n in role_names]
        return user

    def add_role(self, project_id: str, name: str, description: str, rules: list[dict[str, Any]],
                 *, system: bool = True) -> Role:
        project = self._project(project_id)
        role = Role(id=self.short_id(), project_id=project_id, name=name, description=description,
                    permissionRules=rules, system=system)
        self.roles[role.id] = role
        project.role_ids.append(role.id)
        return role

    def create_access_key(self, project_id: str, user_id: str | None = None, *, name: str = "API token",
                          age_days: float = 0, valid_days: float = 365) -> AccessKey:
        """An API token for a member (default: the project's first member); tokens expire after a year."""
        project = self._project(project_id)
        user_id = user_id or next(iter(project.members), None)
        if user_id is None or user_id not in project.members:
            raise ArrangeError(f"user {user_id!r} is not a member of project {project_id}")
        created = self.now() - timedelta(days=age_days)
        key = AccessKey(id=self.new_uuid(), project_id=project_id, user_id=user_id, secret=self.token(32),
                        name=name, created_at=created, expires_at=created + timedelta(days=valid_days))
        self.access_keys[key.id] = key
        return key

    def upsert_resource(self, project_id: str, rtype: str, *, name: str | None = None,
                        alias: str | None = None, resource_id: str | None = None, model: str | None = None,
                        spec: dict[str, Any] | None = None, views: int | None = None) -> tuple[Resource, bool]:
        """Create or update a model, saved exploration, metric or dashboard; returns (resource, created).
        Everything is checked before anything changes."""
        check_storable(type=rtype, name=name, alias=alias, id=resource_id, model=model, spec=spec)
        project = self._project(project_id)
        if rtype not in PREFIX:
            raise ArrangeError(f"type must be one of {', '.join(PREFIX)}")
        existing = self.resources.get(f"{PREFIX[rtype]}:{resource_id}") if resource_id else None
        self._check_identity(project, rtype, existing, name=name, alias=alias, resource_id=resource_id, views=views)
        body = self._checked_spec(project, rtype, spec)
        model_key = self.resolve_ref(project, model, "model").key if model is not None else None
        if rtype in ("saved_exploration", "metric") and model_key is None and existing is None:
            raise ArrangeError(f"a {rtype} needs the model it is built on")
        if existing is not None and rtype == "saved_exploration" and model_key not in (None, existing.model_key):
            raise ArrangeError("a saved exploration cannot move to another model")
        # --- all checks passed: mutate ---
        if existing is None:
            created = Resource(type=rtype, id=resource_id or self.short_id(), project_id=project_id,
                               name=name or "", alias=alias, body=body or {},
                               viewsLastTwoWeeks=None if rtype == "metric" else (views or 0), model_key=model_key)
            self.resources[created.key] = created
            project.resource_keys[rtype].append(created.key)
            if rtype == "saved_exploration" and model_key:
                self.resources[model_key].saved_exploration_keys.append(created.key)
            return created, True
        for attribute, value in (("alias", alias), ("body", body), ("viewsLastTwoWeeks", views),
                                 ("model_key", model_key)):
            if value is not None:
                setattr(existing, attribute, value)
        if name:
            existing.name = name
        return existing, False

    def _check_identity(self, project: Project, rtype: str, existing: Resource | None, *, name: str | None,
                        alias: str | None, resource_id: str | None, views: int | None) -> None:
        """Owner, id, name, alias and view count of a resource to create or update."""
        if existing is not None and existing.project_id != project.id:
            raise ArrangeError(f"{existing.key} belongs to another project")
        if resource_id is not None and (not resource_id or ":" in resource_id):
            raise ArrangeError("id must be a non-empty string without ':'")
        if existing is None and not name:
            raise ArrangeError("name is required to create a resource")
        if alias is not None:
            if not ALIAS.match(alias):
                raise ArrangeError("alias must be 1-119 letters, digits or underscores")
            clash = [r for t in PREFIX for r in self.resources_of(project, t)
                     if r.alias == alias and r is not existing]
            if clash:
                raise ArrangeError(f"alias {alias!r} is already used by {clash[0].grn} in this project")
        bad_views = isinstance(views, bool) or not isinstance(views, int) or not 0 <= views <= MAX_VIEWS
        if views is not None and (rtype == "metric" or bad_views):
            raise ArrangeError(f"viewsLastTwoWeeks is a non-negative integer up to {MAX_VIEWS} (a GraphQL Int), and "
                               "metrics have none")

    def _checked_spec(self, project: Project, rtype: str, spec: dict[str, Any] | None) -> dict[str, Any] | None:
        """A copy of ``spec`` with a dashboard's saved-exploration references resolved to keys."""
        body = copy.deepcopy(spec) if spec is not None else None
        if body is not None:
            bad = [k for k in RESERVED_SPEC_KEYS if k in body]
            if bad:
                raise ArrangeError(f"spec must not set {bad}: they come from the resource itself")
            if rtype == "dashboard":
                for block in _blocks(body):
                    if "savedExploration" in block:
                        block["savedExploration"] = self.resolve_ref(project, str(block["savedExploration"]),
                                                                     "saved_exploration").key
        return body

    def _project(self, project_id: str) -> Project:
        project = self.projects.get(project_id)
        if project is None:
            raise ArrangeError(f"no project {project_id!r}")
        return project


def _blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every block of a dashboard spec (sections -> rows -> blocks); malformed parts are skipped."""
    found: list[dict[str, Any]] = []
    sections = body.get("sections")
    for section in sections if isinstance(sections, list) else []:
        rows = section.get("rows") if isinstance(section, dict) else None
        for row in rows if isinstance(rows, list) else []:
            blocks = row.get("blocks") if isinstance(row, dict) else None
            found += [b for b in (blocks if isinstance(blocks, list) else []) if isinstance(b, dict)]
    return found


UNSTORABLE = {"depth": f"nests deeper than {MAX_DEPTH} levels", "integer": "holds an integer beyond 64 bits",
              "float": "holds a non-finite number", "surrogate": "holds a lone UTF-16 surrogate",
              "nul": "holds a NUL character"}


def check_storable(**values: Any) -> None:
    """Refuse a value Hashboard's database could not hold or its API could not send back: text with a NUL
    or a lone surrogate, a spec too deep or with numbers JSON cannot carry (``ArrangeError``, nothing stored)."""
    for key, value in values.items():
        if value is None:
            continue
        problem = first_unstorable(value)
        if problem is not None:
            path = problem.path[:1] if problem.kind == "depth" else problem.path  # a depth path is as long as the value
            where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{ascii(p)[1:-1]}" for p in path)
            raise ArrangeError(f"{key}{where} {UNSTORABLE[problem.kind]}: Hashboard could not store it")
