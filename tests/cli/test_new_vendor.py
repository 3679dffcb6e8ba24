"""``mockbi new-vendor NAME`` writes a vendor that works: its package has the common skeleton, its contract
is a valid OpenAPI document, and a server built with it answers over HTTP, validated against that contract."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from openapi_spec_validator import validate

import mockbi.vendors
from mockbi.app import create_app
from mockbi.cli import main
from mockbi.config import MockbiConfig
from mockbi.core.contracts import RestContract
from mockbi.server import ServerThread

NAME = "acme_cloud"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "mockbi" / "vendors").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def scaffolded(checkout: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """The new vendor's package, importable as ``mockbi.vendors.acme_cloud`` for the test's duration."""
    assert main(["new-vendor", NAME, "--root", str(checkout)]) == 0
    assert "AVAILABLE in mockbi/vendors/__init__.py" in capsys.readouterr().out
    mockbi.vendors.__path__.append(str(checkout / "mockbi" / "vendors"))
    try:
        yield importlib.import_module(f"mockbi.vendors.{NAME}").VENDOR
    finally:
        mockbi.vendors.__path__.remove(str(checkout / "mockbi" / "vendors"))
        for module in [m for m in sys.modules if m.startswith(f"mockbi.vendors.{NAME}")]:
            del sys.modules[module]


def test_the_skeleton_is_written_whole(checkout: Path, scaffolded: Any) -> None:
    package = checkout / "mockbi" / "vendors" / NAME
    for module in ("__init__", "vendor", "errors", "models", "store", "seed", "wire", "handlers/__init__",
                   "handlers/items"):
        assert (package / f"{module}.py").is_file(), module
    assert (checkout / "seeds" / NAME / "default.yaml").is_file()
    assert (checkout / "contracts" / NAME / "SOURCE.md").is_file()
    validate(RestContract.load(NAME, checkout / "contracts" / NAME / "openapi.json").document)
    assert type(scaffolded).__name__ == "AcmeCloud" and sorted(scaffolded.registry) == [
        "createItem", "getItem", "listItems"]


def test_the_new_vendor_serves_its_contract_over_http(checkout: Path, scaffolded: Any) -> None:
    contract = RestContract.load(NAME, checkout / "contracts" / NAME / "openapi.json")
    contract.compile_all()
    extra = checkout / "scenarios" / NAME  # a scenario of the new vendor's own keys (Store.scenario_keys)
    extra.mkdir(parents=True)
    (extra / "five.yaml").write_text("extends: default\nitems: 5\n", encoding="utf-8")
    config = MockbiConfig(strict=True, scenario="five", scenario_dirs=(str(checkout / "scenarios"),))
    factory = partial(create_app, vendors=[scaffolded], contracts={NAME: contract})
    with ServerThread(config, app_factory=factory) as server:
        token = server.runtime.store(NAME).credentials()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        base = f"{server.url}/api/{NAME}/items/"
        listed = requests.get(base, headers=auth, timeout=10)
        assert listed.status_code == 200 and len(listed.json()["results"]) == 5, listed.text
        made = requests.post(base, json={"name": "New"}, headers=auth, timeout=10)
        assert made.status_code == 201 and made.json()["name"] == "New"
        assert requests.get(f"{base}{made.json()['id']}/", headers=auth, timeout=10).json() == made.json()
        missing = requests.get(f"{base}999/", headers=auth, timeout=10)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert requests.get(base, timeout=10).json()["error"]["code"] == "not_authenticated"
        refused = requests.post(base, json={"name": 5}, headers=auth, timeout=10)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "invalid_request"
        assert server.runtime.journal.calls.violations() == []  # every answer matched the new contract


def test_new_vendor_refuses_bad_names_and_existing_vendors(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-vendor", "Acme-Cloud", "--root", str(checkout)]) == 2
    assert "a vendor name is 2-31 lowercase letters" in capsys.readouterr().err
    assert main(["new-vendor", NAME, "--root", str(checkout)]) == 0
    assert main(["new-vendor", NAME, "--root", str(checkout)]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["new-vendor", "other", "--root", str(checkout / "nowhere")]) == 2
