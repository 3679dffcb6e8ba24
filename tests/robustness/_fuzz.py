"""Schemathesis set-up shared by the fuzzing tests: our own contracts, fixed seeds, bounded examples, and
the checks that matter here (no 5xx but the vendor's own, marked ``x-mockbi-vendor-5xx`` in the contract;
every response conforms to its contract)."""

from __future__ import annotations

import json
from typing import Any

import orjson
import schemathesis
from schemathesis import CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case

from mockbi.core.resources import contract_path

SEED = 12
MARK = "x-mockbi-vendor-5xx"

#: schema-valid requests the vendor refuses for reasons a schema cannot say (each is the vendor's rule, tested
#: in tests/vendors): operationId -> statuses also accepted by ``positive_data_acceptance``
SEMANTIC_REFUSALS: dict[str, list[str]] = {
    "loginExt": ["400"],  # passport-local: both fields present and non-empty
    "createUserAttribute": ["400"],  # a name of letters, digits and underscores
    "createPersonalAccessTokenExt": ["400"],  # expiresAt in the future
    "ListOrganizationMembers": ["422"], "ListGroupsInOrganization": ["422"],  # tsoa: integer page/pageSize
    "sendScheduler": ["400", "422"],  # a named scheduler; a JSON `null` body is no object
    "updateScheduler": ["422"],
}

#: operations left out until their owner's fix lands on main (each described in the issue-12 report)
KNOWN_DEFECTS: dict[str, str] = {
    "createUserAttribute": "contract: Omit_UserAttributeValue.email_ is an open object, so a user value without "
                           "userUuid reaches the handler (KeyError 500)",
}


def contract(vendor: str) -> dict[str, Any]:
    return json.loads(contract_path(vendor, "openapi.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def config(max_examples: int, stateful_steps: int = 0) -> schemathesis.Config:
    operations = [{"include-operation-id": op, "checks": {"positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", *extra]}}} for op, extra in SEMANTIC_REFUSALS.items()]
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large", "large_base_example"],
        "generation": {"mode": "all", "max-examples": max_examples, "database": "none", "deterministic": True,
                       "no-shrink": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"max-steps": max(stateful_steps, 2)}},
        "operations": operations,
    })


def load(vendor: str, max_examples: int, stateful_steps: int = 0) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_dict(contract(vendor), config=config(max_examples, stateful_steps))
    return schema.exclude(operation_id=list(KNOWN_DEFECTS)) if KNOWN_DEFECTS else schema


def _malformed(body: bytes | str | None) -> bool:
    if body is None:
        return False
    try:
        orjson.loads(body)
    except orjson.JSONDecodeError:
        return True
    return False


def vendor_5xx_only(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """A 5xx passes only where the contract marks it as the vendor's own answer (and it says so)."""
    if response.status_code < 500:
        return None
    root = case.operation.schema.raw_schema.get(MARK, [])
    marks = [*case.operation.definition.raw.get(MARK, []), *root]
    text = response.text
    for mark in marks:
        body_ok = not mark.get("malformed_body") or _malformed(response.request.body)
        if mark["status"] == response.status_code and mark["match"] in text and body_ok:
            return None
    raise AssertionError(f"{case.operation.label}: unmarked {response.status_code}: {text[:500]}")


def call_and_check(case: Case, base_url: str, headers: dict[str, str]) -> None:
    case.call_and_validate(base_url=base_url, headers=headers, excluded_checks=[not_a_server_error],
                           additional_checks=[vendor_5xx_only])
