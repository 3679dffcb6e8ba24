"""Durable tenants: under ``--state-file`` every tenant's acknowledged writes survive SIGKILL in a file of its
own (``PATH.tenants/NAME.sqlite``), a tenant created with its own seed and pinning comes back with them, links
the mock stored keep the tenant's base-URL prefix, eviction unloads a tenant without losing it, and DELETE
removes its file. A damaged tenant file is refused for that tenant only, and left untouched."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.integration.test_durable import World, _kill, serve

FLAGS = ("--frozen-clock", "--seed", "5")


def _csv_job(url: str, world: World) -> str:
    """A Lightdash CSV export in ``world``; returns the file URL its finished job reports."""
    body = {"exploreName": "orders", "dimensions": ["orders_status"], "metrics": ["orders_order_count"],
            "filters": {}, "sorts": [], "limit": 10, "tableCalculations": [], "columnOrder": [],
            "showTableNames": False, "onlyRaw": False}
    made = requests.post(world.ld_spaces.replace("/spaces", "/explores/orders/downloadCsv"), json=body,
                         headers=world.ld_auth, timeout=10)
    assert made.status_code == 200, made.text
    requests.post(f"{world.url}/__mockbi/clock", json={"advance": 10}, timeout=10)
    job = requests.get(f"{url}/api/v1/csv/{made.json()['results']['jobId']}", headers=world.ld_auth, timeout=10)
    return str(job.json()["results"]["url"])


def test_tenant_writes_survive_sigkill_with_their_seed_pinning_and_links(tmp_path: Path) -> None:
    state = tmp_path / "world.sqlite"
    flags = (*FLAGS, "--state-file", str(state))
    with serve(*flags, cwd=tmp_path) as (url, proc):
        made = requests.post(f"{url}/__mockbi/tenants", json={"name": "blue", "seed": 9, "pinned": True}, timeout=10)
        assert made.status_code == 201, made.text
        blue, green = World(f"{url}/tenants/blue"), World(f"{url}/tenants/green")  # green: made by first use
        writes = [blue.write(i) for i in range(8)] + [green.write(i) for i in range(8)]
        link = _csv_job(f"{url}/tenants/blue", blue)
        assert link.startswith(f"{url}/tenants/blue/api/v1/projects/")
        before = blue.reads(), green.reads(), World(url).reads()
        _kill(proc)
    assert sorted(p.name for p in (tmp_path / "world.sqlite.tenants").glob("*.sqlite")) == \
        ["blue.sqlite", "green.sqlite"]
    with serve(*flags, cwd=tmp_path) as (url2, proc):
        stored = requests.get(f"{url2}/__mockbi/tenants", timeout=10).json()["tenants"]
        assert stored == [{"name": "blue", "seed": 9, "scenario": "default", "pinned": True, "loaded": False},
                          {"name": "green", "seed": 5, "scenario": "default", "pinned": False, "loaded": False}]
        blue, green = World(f"{url2}/tenants/blue"), World(f"{url2}/tenants/green")
        assert (blue.reads(), green.reads(), World(url2).reads()) == before  # byte-identical, each its own
        for tenant, made in ((blue, writes[:8]), (green, writes[8:])):
            listing = tenant.reads()["posthog"].decode()
            assert all(f'"id":{ident}' in listing for vendor, ident in made if vendor == "posthog")
        assert b"durable 0" not in World(url2).reads()["posthog"]  # the server's own world saw none of it
        listed = {t["name"]: t for t in requests.get(f"{url2}/__mockbi/tenants", timeout=10).json()["tenants"]}
        assert (listed["blue"]["seed"], listed["blue"]["pinned"], listed["blue"]["loaded"]) == (9, True, True)
        assert (listed["green"]["seed"], listed["green"]["pinned"], listed["green"]["loaded"]) == (5, False, True)
        job_url = link.replace(url, url2)  # a new port; the stored link kept its tenant prefix
        assert requests.get(job_url, headers=blue.ld_auth, timeout=10).status_code == 200
        refused = requests.post(f"{url2}/__mockbi/tenants", json={"name": "green", "seed": 1}, timeout=10)
        assert refused.status_code == 409
        assert requests.delete(f"{url2}/__mockbi/tenants/blue", timeout=10).status_code == 204
        assert not (tmp_path / "world.sqlite.tenants" / "blue.sqlite").exists()
        assert World(f"{url2}/tenants/blue").creds == World(url2).creds  # rebuilt from the server's seed
        assert b"durable 0" not in World(f"{url2}/tenants/blue").reads()["posthog"]


def test_an_evicted_durable_tenant_comes_back_from_its_file(tmp_path: Path) -> None:
    flags = (*FLAGS, "--state-file", str(tmp_path / "world.sqlite"), "--max-tenants", "1")
    with serve(*flags, cwd=tmp_path) as (url, _):
        first = World(f"{url}/tenants/one")
        made = first.write(0)
        before = first.reads()
        World(f"{url}/tenants/two").write(0)  # room for one: "one" is unloaded, not lost
        listed = requests.get(f"{url}/__mockbi/tenants", timeout=10).json()["tenants"]
        assert [(t["name"], t["loaded"]) for t in listed] == [("two", True), ("one", False)]
        again = World(f"{url}/tenants/one")
        assert again.reads() == before and f'"id":{made[1]}'.encode() in before["posthog"]


def test_a_damaged_tenant_file_is_refused_for_that_tenant_and_left_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "world.sqlite.tenants"
    folder.mkdir()
    damaged = folder / "red.sqlite"
    damaged.write_bytes(b"not a database\n" * 20)
    with serve(*FLAGS, "--state-file", str(tmp_path / "world.sqlite"), cwd=tmp_path) as (url, _):
        refused = requests.get(f"{url}/tenants/red/__mockbi/info", timeout=10)
        assert refused.status_code == 503
        assert "is not a mockbi state file" in refused.json()["error"] and "untouched" in refused.json()["error"]
        assert requests.get(f"{url}/tenants/blue/__mockbi/info", timeout=10).status_code == 200
        listed = requests.get(f"{url}/__mockbi/tenants", timeout=10)  # the listing still answers, naming it
        red = next(t for t in listed.json()["tenants"] if t["name"] == "red")
        assert listed.status_code == 200 and red["loaded"] is False and "is not a mockbi state file" in red["error"]
    assert damaged.read_bytes() == b"not a database\n" * 20


def test_concurrent_first_requests_build_the_tenant_once(tmp_path: Path) -> None:
    """A durable tenant's build replays its log (it awaits): requests arriving meanwhile wait for that build
    instead of building a second world, so every acknowledged write lands in the one that stays."""
    flags = (*FLAGS, "--state-file", str(tmp_path / "world.sqlite"), "--max-tenants", "2")
    with serve(*flags, cwd=tmp_path) as (url, _):
        for i in range(20):
            World(f"{url}/tenants/burst").write(4 * i)  # a log to replay when it is built again
        for other in ("a", "b"):
            World(f"{url}/tenants/{other}")  # room for two: "burst" is unloaded
        creds = World(url).creds["posthog"]
        target = f"{url}/tenants/burst/api/projects/{creds['project_id']}/dashboards/"
        auth = {"Authorization": f"Bearer {creds['personal_api_key']}"}
        with ThreadPoolExecutor(8) as pool:
            made = list(pool.map(lambda i: requests.post(target, json={"name": f"burst {i}"}, headers=auth,
                                                         timeout=30), range(8)))
        assert [r.status_code for r in made] == [201] * 8
        names = [d["name"] for d in requests.get(target, params={"limit": 500}, headers=auth,
                                                 timeout=10).json()["results"]]
        assert sorted(n for n in names if n.startswith("burst ")) == [f"burst {i}" for i in range(8)]
