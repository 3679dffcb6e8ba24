"""Schemathesis' stateful phase over the contracts' ``links`` (create -> get/patch/delete): sequences of
calls on what was just created, checked by ``use_after_free`` (a deleted object must be gone) and
``ensure_resource_availability`` (a created object must be there), plus the 5xx and conformance checks."""

from __future__ import annotations

from typing import Any, ClassVar

import hypothesis
import pytest
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from mockbi.server import ServerThread

from ._fuzz import contract, load, vendor_5xx_only
from ._world import World

SETTINGS = hypothesis.settings(max_examples=12, stateful_step_count=6, deadline=None, derandomize=True,
                               database=None, suppress_health_check=list(hypothesis.HealthCheck))
LINKED = {"posthog": {"dashboards_create", "dashboards_sharing_passwords_create"},
          "lightdash": {"CreateSpaceInProject", "createDashboard", "createSavedChartExt", "createTag",
                        "CreateGroupInOrganization"}}

FOLLOWERS = {"posthog": {"dashboards_retrieve", "dashboards_partial_update", "dashboards_update",
                         "dashboards_collaborators_list", "dashboards_sharing_list"},
             "lightdash": {"GetSpace", "UpdateSpace", "DeleteSpace", "getDashboardExt", "updateDashboardExt",
                           "deleteDashboardExt", "getSavedChartExt", "updateSavedChartExt", "deleteSavedChartExt",
                           "updateTag", "deleteTag", "getGroup", "updateGroup", "deleteGroup"}}


def machine(vendor: str) -> Any:
    base = load(vendor, 5, stateful_steps=6).as_state_machine()

    class Machine(base):  # type: ignore[misc,valid-type]
        url: ClassVar[str] = ""
        headers: ClassVar[dict[str, str]] = {}

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": self.url, "headers": self.headers}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, excluded_checks=[not_a_server_error],
                                   additional_checks=[vendor_5xx_only, use_after_free, ensure_resource_availability],
                                   transport_kwargs=kwargs or None, recorder=self.recorder)

    return Machine


@pytest.mark.parametrize("vendor", ["posthog", "lightdash"])
def test_the_contract_links_every_create_to_what_reads_edits_and_deletes_it(vendor: str) -> None:
    links = load(vendor, 1).as_state_machine().bundles  # one bundle per linked response
    assert links, f"{vendor}: no links, the stateful phase would have nothing to run"
    doc = contract(vendor)
    sources = {op["operationId"] for item in doc["paths"].values() for op in item.values()
               if isinstance(op, dict) and any("links" in r for r in op.get("responses", {}).values())}
    assert sources == LINKED[vendor]


@pytest.mark.parametrize("vendor", ["posthog", "lightdash"])
def test_stateful_sequences(vendor: str, robust_server: ServerThread, world: World) -> None:
    world.http.delete(f"{world.url}/__mockbi/journal", timeout=30)
    state_machine = machine(vendor)
    state_machine.url, state_machine.headers = robust_server.url, world.auth(vendor)
    state_machine.run(settings=SETTINGS)
    world.check_all()
    calls = world.http.get(f"{world.url}/__mockbi/journal", params={"vendor": vendor}, timeout=60).json()["calls"]
    answered = {c["operation_id"] for c in calls if 200 <= c["status"] < 300}
    assert answered & LINKED[vendor], f"no create succeeded: {sorted(answered)}"
    assert answered & FOLLOWERS[vendor], f"no link was followed to a 2xx: {sorted(answered)}"
