"""Benchmark (issue 10): what mockbi costs a client test suite, and how it serves against Prism and bare aiohttp.

    make bench                                  # or: .venv/bin/python bench/run.py [--seconds 5] [--quick]

One run measures, each server in its own process and the load generator (wrk, else an aiohttp client) in
another: the PostHog dashboards list (20 items of the ``large`` world) from mockbi with response validation on
and off, from Prism 5.16 mocking our own contract (installed by the bench with npm into bench/.node/) and from
a bare aiohttp app serving mockbi's bytes; Hashboard, Lightdash runQuery and Hasura operations; the reset, the
pytest fixture's per-test overhead, cold start, RSS and exit time of ``mockbi serve``, and list latency
against store size. It prints one table and writes docs/PERFORMANCE.md. Not a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import compileall
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import _servers as servers  # noqa: E402
from _load import Load, Request, interleaved, measure, wrk_path  # noqa: E402
from _report import Row, render_table, write_doc  # noqa: E402
from _suite import cold_start, fixture_overhead, inprocess_resets, resets  # noqa: E402

ROOT = servers.ROOT
#: req/s the issue measured on this machine before this work (Hashboard / Lightdash runQuery / Hasura, c=16)
BASELINE = {"hashboard": 1520.0, "lightdash": 2100.0, "hasura_cloud": 2540.0}
HASHBOARD_QUERY = ("query($id: ID!) { project(projectId: $id) { id name models { grn name spec } "
                   "metrics { grn name spec } dashboards { grn name spec } } }")
HASURA_QUERY = "{ projects(order_by: {name: asc}) { id name tenant { id } } }"
RUN_QUERY = {"exploreName": "orders", "dimensions": ["orders_status"],
             "metrics": ["orders_order_count", "orders_total_order_amount"], "filters": {}, "sorts": [],
             "limit": 500, "tableCalculations": []}


def info(base: str) -> dict[str, Any]:
    return json.load(urllib.request.urlopen(f"{base}/__mockbi/info", timeout=10))["vendors"]  # type: ignore[no-any-return]


def posthog_list(base: str, creds: dict[str, Any], limit: int) -> Request:
    ph = creds["posthog"]
    return Request(f"{base}/api/projects/{ph['project_id']}/dashboards/?limit={limit}",
                   headers={"Authorization": f"Bearer {ph['personal_api_key']}"})


def vendor_requests(base: str, creds: dict[str, Any]) -> dict[str, Request]:
    json_type = {"Content-Type": "application/json"}
    hb, ld, hc = creds["hashboard"], creds["lightdash"], creds["hasura_cloud"]
    return {
        "hashboard": Request(f"{base}/api/graphql", "POST", {**json_type, "Authorization": hb["api_token"]},
                             json.dumps({"query": HASHBOARD_QUERY, "variables": {"id": hb["project_id"]}}).encode()),
        "lightdash": Request(f"{base}/api/v1/projects/{ld['project_uuid']}/explores/orders/runQuery", "POST",
                             {**json_type, "Authorization": f"ApiKey {ld['personal_access_token']}"},
                             json.dumps(RUN_QUERY).encode()),
        "hasura_cloud": Request(f"{base}/v1/graphql", "POST",
                                {**json_type, "Authorization": f"pat {hc['personal_access_token']}"},
                                json.dumps({"query": HASURA_QUERY}).encode()),
    }


def fetch(req: Request) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(req.url, req.body, req.headers or {}, method=req.method),
                                timeout=30) as resp:
        return resp.read()  # type: ignore[no-any-return]


def serving(args: argparse.Namespace, wrk: str | None) -> dict[str, Any]:
    """Throughput and latency of the same list from mockbi (on/off), Prism and bare aiohttp; vendor operations."""
    out: dict[str, Any] = {}
    run = lambda req, c=16: measure(req, args.seconds, c, wrk)  # noqa: E731
    with servers.mockbi("--vendors", "posthog", "--scenario", "large") as base:
        creds = info(base)
        req = posthog_list(base, creds, args.limit)
        sample = fetch(req)
        with servers.bare(sample) as bare_base:  # the ratio's two servers measured in turns
            out["on"], out["bare"] = interleaved([req, Request(f"{bare_base}/api/projects/1/dashboards/")],
                                                 args.seconds, 16, wrk, args.rounds)
        out["c1"] = run(req, 1)
    with servers.mockbi("--vendors", "posthog", "--scenario", "large", "--no-validate-responses") as base:
        out["off"] = run(posthog_list(base, creds, args.limit))
    path = req.url.split("127.0.0.1", 1)[1].split("/", 1)[1]
    with servers.prism(ROOT / "contracts" / "posthog" / "openapi.json", "/" + path, req.headers or {}) as base:
        out["prism"] = run(Request(f"{base}/{path}", headers=req.headers)) if base else None
    out["items"], out["bytes"], out["rounds"] = len(json.loads(sample)["results"]), len(sample), args.rounds
    with servers.mockbi() as base:
        vreqs = vendor_requests(base, info(base))
        for vreq in vreqs.values():
            fetch(vreq)
        out.update(zip(vreqs, interleaved(list(vreqs.values()), args.seconds, 16, wrk, args.rounds), strict=True))
    return out


def list_scaling(args: argparse.Namespace, wrk: str | None) -> dict[int, Load]:
    """The list's latency on one connection with 100 and with ``store_size`` dashboards stored, the two
    servers measured in turns (median p99 of the rounds)."""
    with servers.grown(100) as small, servers.grown(args.store_size) as big:
        reqs = [posthog_list(base, info(base), args.limit) for base in (small, big)]
        for req in reqs:
            fetch(req)  # the first list sorts the store once (~1 s at 100,000): not part of the steady state
        loads = interleaved(reqs, args.seconds, 1, wrk, args.rounds, by="p99_ms")
    return dict(zip((100, args.store_size), loads, strict=True))


def rows(s: dict[str, Any], scale: dict[int, Load], reset: dict[str, tuple[float, float]], fixture: dict[str, float],
         start: dict[str, float], size: int) -> list[Row]:
    on, off, bare, prism = s["on"], s["off"], s["bare"], s["prism"]
    small, big = scale[100], scale[size]
    table = [
        Row("reset after a request, median / p99", f"{reset['after a request'][0]:.2f} / "
            f"{reset['after a request'][1]:.2f} ms", "≤ 2 / ≤ 5 ms",
            reset["after a request"][0] <= 2 and reset["after a request"][1] <= 5),
        Row("reset with nothing touched, median / p99", f"{reset['clean'][0]:.2f} / {reset['clean'][1]:.2f} ms",
            "", None),
        *[Row(f"reset {k} (no HTTP), median / p99", f"{m:.2f} / {p:.2f} ms", "", None)
          for k, (m, p) in reset.items() if k.startswith("in process")],
        Row("`mockbi` fixture, per test: CPU (wall)", f"{fixture['per_test_cpu_ms']:.2f} ms "
            f"({fixture['per_test_ms']:.2f})", "≤ 2 ms", fixture["per_test_cpu_ms"] <= 2),
        Row("`mockbi serve` to healthy, median (min)", f"{start['start_median_s']:.2f} s ({start['start_min_s']:.2f})",
            "≤ 0.5 s", start["start_median_s"] <= 0.5),
        Row("`mockbi serve` CPU time to healthy, median", f"{start['start_cpu_s']:.2f} s", "", None),
        Row("RSS after start", f"{start['rss_mb']:.0f} MB", "≤ 80 MB", start["rss_mb"] <= 80),
        Row("exit after SIGTERM (idle)", f"{start['exit_median_s']:.2f} s", "≤ 0.2 s", start["exit_median_s"] <= 0.2),
        Row("PostHog list, mockbi validation on / off", f"{on.rps:,.0f} / {off.rps:,.0f} req/s", "", None),
        Row("PostHog list, bare aiohttp (same bytes)", f"{bare.rps:,.0f} req/s", "", None),
        Row("mockbi (on) / bare aiohttp", f"{on.rps / bare.rps:.3f}×", "≥ 0.4×", on.rps / bare.rps >= 0.4),
    ]
    if prism is not None:
        table += [Row("PostHog list, Prism 5.16 (our contract)", f"{prism.rps:,.0f} req/s", "", None),
                  Row("mockbi (on) / Prism", f"{on.rps / prism.rps:.2f}×", "≥ 2.5×", on.rps / prism.rps >= 2.5)]
    else:
        table.append(Row("mockbi (on) / Prism", "not measured (no npm)", "≥ 2.5×", None))
    c1 = s["c1"].p50_ms
    table.append(Row("PostHog list, one connection: p50", f"{c1:.3f} ms", "≤ 0.2 ms", c1 <= 0.2))
    for name, label in (("hashboard", "Hashboard project query"), ("lightdash", "Lightdash runQuery"),
                        ("hasura_cloud", "Hasura projects list")):
        ratio = s[name].rps / BASELINE[name]
        table.append(Row(f"{label}, c=16", f"{s[name].rps:,.0f} req/s ({ratio:.2f}× the issue's {BASELINE[name]:,.0f})",
                         "≥ 2×", ratio >= 2))
    table.append(Row(f"list p99 at {size:,} / at 100 dashboards", f"{big.p99_ms:.2f} / {small.p99_ms:.2f} ms = "
                     f"{big.p99_ms / small.p99_ms:.2f}×", "≤ 2×", big.p99_ms / small.p99_ms <= 2))
    errors = sum(x.errors for x in (on, off, bare, s["c1"], s["hashboard"], s["lightdash"], s["hasura_cloud"]))
    table.append(Row("non-2xx answers or socket errors under load (mockbi, bare)", str(errors), "0", errors == 0))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per load measurement")
    parser.add_argument("--limit", type=int, default=20, help="dashboards per page")
    parser.add_argument("--store-size", type=int, default=100_000, help="dashboards for the large-store list")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, taken in turns, of the ratio's servers and of the vendor operations (median)")
    parser.add_argument("--quick", action="store_true", help="2 s loads, fewer rounds (a smoke run)")
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds = min(args.seconds, 2.0), 1
    compileall.compile_dir(str(ROOT / "mockbi"), quiet=1)  # as a wheel install does: cold start reads bytecode
    wrk = wrk_path()
    print(f"bench: load generator {'wrk' if wrk else 'python aiohttp client'}", file=sys.stderr)
    serve = serving(args, wrk)
    scale = list_scaling(args, wrk)
    with servers.mockbi() as base:
        reset = resets(base, info(base), 100 if args.quick else 300)
    reset.update({f"in process, {k}": v for k, v in inprocess_resets(100 if args.quick else 300).items()})
    fixture = fixture_overhead(100 if args.quick else 500)
    start = cold_start(3 if args.quick else 5)
    table = rows(serve, scale, reset, fixture, start, args.store_size)
    text = render_table(table)
    print(f"PostHog list: {serve['items']} items, {serve['bytes']:,} bytes; wrk -t1 -c16 (c1 for p50), "
          f"{args.seconds:g} s each; mockbi/bare and vendor operations: median of {args.rounds} rounds in turns")
    print(text)
    if not args.no_doc:
        write_doc(ROOT / "docs" / "PERFORMANCE.md", text, " ".join(["bench/run.py", *sys.argv[1:]]),
                  wrk is not None, serve)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
