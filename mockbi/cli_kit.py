"""Command-line parts of the client toolkit: ``mockbi coverage client`` and ``mockbi drift``
(argument parsing and output only; the work is in ``core/client_coverage*`` and ``core/drift*``)."""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import orjson

from mockbi.core.errors import ConfigError

FORMATS = ("text", "json", "junit")


def add_coverage_client_parser(coverage: argparse.ArgumentParser) -> None:
    sub = coverage.add_subparsers(dest="coverage_command", required=False, metavar="client")
    client = sub.add_parser("client", help="the client-coverage report of a running mockbi (sidecar)",
                            description="Fetch GET /__mockbi/coverage/client from a running mockbi and print or "
                                        "write it: which operations and statuses the client under test drove.")
    client.add_argument("--url", required=True, help="the mockbi server root, e.g. http://127.0.0.1:8080")
    client.add_argument("--format", choices=FORMATS, default="text", dest="client_format")
    client.add_argument("--output", metavar="FILE", default=None, dest="client_output",
                        help="write the report to FILE instead of stdout")


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def _fetch_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 (a URL the user gave)
            return orjson.loads(resp.read())
    except urllib.error.HTTPError as exc:
        raise ConfigError(f"{url} answered {exc.code}: is this a mockbi server?") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ConfigError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from None
    except orjson.JSONDecodeError:
        raise ConfigError(f"{url} did not answer JSON: is this a mockbi server?") from None


def coverage_client(args: argparse.Namespace) -> int:
    from mockbi.core.client_coverage_render import as_junit, as_text

    document = _fetch_json(args.url.rstrip("/") + "/__mockbi/coverage/client")
    if not isinstance(document, dict) or "vendors" not in document:
        raise ConfigError(f"{args.url} did not answer a client-coverage report")
    if args.client_format == "json":
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n"
    elif args.client_format == "junit":
        text = as_junit(document)
    else:
        text = as_text(document)
    _emit(text, args.client_output)
    return 0
def add_drift_parser(sub: Any) -> None:
    drift_parser = sub.add_parser(
        "drift", help="compare a vendor's stored contract with a document the vendor publishes now",
        description="Compare mockbi's contract for VENDOR with DOCUMENT (OpenAPI 3.0/3.1 JSON or YAML, GraphQL "
                    "SDL, or an introspection result). Exit 1 when drift of the --fail-on class is found.")
    drift_parser.add_argument("vendor", metavar="VENDOR")
    drift_parser.add_argument("document", metavar="DOCUMENT")
    drift_parser.add_argument("--format", choices=FORMATS, default="text", dest="drift_format")
    drift_parser.add_argument("--fail-on", choices=("breaking", "any"), default="breaking", dest="fail_on",
                              help="which drift makes the exit status 1 (default: breaking)")
    drift_parser.add_argument("--output", metavar="FILE", default=None, dest="drift_output",
                              help="write the report to FILE instead of stdout")


def drift(args: argparse.Namespace) -> int:
    from mockbi.core.drift import compare_vendor
    from mockbi.core.drift_render import drift_junit, drift_text

    result = compare_vendor(args.vendor, Path(args.document))
    if args.drift_format == "json":
        text = orjson.dumps(result.as_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
    elif args.drift_format == "junit":
        text = drift_junit(result)
    else:
        text = drift_text(result)
    _emit(text, args.drift_output)
    return 1 if result.fails(args.fail_on) else 0
