"""``mockbi``'s argument parser: the subcommands, their flags and the ``MOCKBI_*`` environment variables each
flag falls back to (the command line reads the environment here and nowhere else)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from mockbi import __version__
from mockbi import vendors as vendor_catalog
from mockbi.cli_kit import add_coverage_client_parser, add_drift_parser
from mockbi.core.errors import ConfigError
from mockbi.core.suggest import unknown

log = logging.getLogger("mockbi")

ENV_PREFIX = "MOCKBI_"
COVERAGE_DOC = "docs/COVERAGE.md"


def _env(name: str, default: str) -> str:
    return os.environ.get(ENV_PREFIX + name, default)


def _whole(text: str, what: str, low: int, high: int | None = None) -> int:
    """``text`` as an integer from ``low`` to ``high``, else one line naming the value and what is allowed."""
    allowed = f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"
    try:
        value = int(text.strip())
    except (ValueError, AttributeError):
        raise argparse.ArgumentTypeError(f"{what} must be {allowed}, not {text!r}") from None
    if value < low or high is not None and value > high:
        raise argparse.ArgumentTypeError(f"{what} must be {allowed}, not {value}")
    return value


def _port(text: str) -> int:
    return _whole(text, "the port", 0, 65535)


def _seed(text: str) -> int:
    return _whole(text, "the seed", 0)


def _positive(text: str) -> int:
    return _whole(text, "the value", 1)


def _log_level(text: str) -> str:
    level = text.upper()
    if level not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(unknown("log level", text, LOG_LEVELS))
    return level


def _vendor_names(text: str) -> list[str]:
    """``--vendors posthog,lightdash`` and ``--vendors posthog lightdash`` both work; names are checked."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    for name in names:
        if name not in vendor_catalog.AVAILABLE:
            raise argparse.ArgumentTypeError(unknown("vendor", name, vendor_catalog.AVAILABLE))
    return names


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: ``serve`` options read from ``MOCKBI_<NAME>`` when not given: dest -> (name, default, converter)
ENV_CHECKED: dict[str, tuple[str, str, Any]] = {
    "port": ("PORT", "8080", _port), "seed": ("SEED", "0", _seed), "log_level": ("LOG_LEVEL", "INFO", _log_level),
    "vendors": ("VENDORS", "", lambda text: [_vendor_names(text)] if text else None),
    "journal_size": ("JOURNAL_SIZE", "1000", _positive),
    "journal_bytes": ("JOURNAL_BYTES", str(64 * 1024 * 1024), _positive),
    "journal_body_bytes": ("JOURNAL_BODY_BYTES", str(256 * 1024), _positive),
    "max_body_size": ("MAX_BODY_SIZE", str(1024 * 1024), _positive),
    "max_tenants": ("MAX_TENANTS", "32", _positive),
}


def from_env(value: Any, name: str, default: str, convert: Any = str) -> Any:
    """A flag's value, else ``MOCKBI_<name>`` (converted; a bad value names the variable), else ``default``."""
    if value is not None:
        return value
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None:
        return convert(default)
    try:
        return convert(raw)
    except argparse.ArgumentTypeError as exc:
        raise ConfigError(f"{ENV_PREFIX}{name}={raw!r}: {exc}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockbi", description="Offline mocks of BI and data-platform APIs.")
    parser.add_argument("--version", action="version", version=f"mockbi {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the mock server (all vendors at their native paths)")
    _add_world_options(serve)
    _add_limit_options(serve)
    _add_admin_options(serve)
    _add_deployment_options(serve)
    leaves = [serve, *_add_tool_parsers(sub)]
    for leaf in leaves:
        leaf.set_defaults(leaf_parser=leaf)  # a mistyped flag is reported with this subcommand's usage
    return parser


def _add_world_options(serve: argparse.ArgumentParser) -> None:
    """Where the server listens and what world it serves."""
    # flags whose value is checked fall back to MOCKBI_<NAME> in _serve (ENV_CHECKED): a bad value there is
    # reported naming the variable, not the flag
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"),
                       help="bind address (default 127.0.0.1; use 0.0.0.0 in a container; env MOCKBI_HOST)")
    serve.add_argument("--port", type=_port, default=None, help="port (default 8080; 0 = any; env MOCKBI_PORT)")
    serve.add_argument("--seed", type=_seed, default=None,
                       help="world seed, 0 or more (default 0; env MOCKBI_SEED)")
    serve.add_argument("--scenario", default=_env("SCENARIO", "default"),
                       help="scenario (default, empty, or a file name; env MOCKBI_SCENARIO)")
    serve.add_argument("--vendors", nargs="+", type=_vendor_names, action="extend", default=None, metavar="VENDOR",
                       help=f"vendors to serve, by spaces or commas (default: all of "
                            f"{', '.join(vendor_catalog.AVAILABLE)}; env MOCKBI_VENDORS, comma-separated)")
    serve.add_argument("--strict", action="store_true", default=_env_flag("STRICT"),
                       help="answer contract-violating responses with a 500 (env MOCKBI_STRICT=1)")
    serve.add_argument("--no-validate-responses", action="store_true",
                       default=not _env_flag("VALIDATE_RESPONSES", True),
                       help="skip response validation (benchmarks only: defects go unreported; "
                            "env MOCKBI_VALIDATE_RESPONSES=0)")
    serve.add_argument("--frozen-clock", action="store_true", default=_env_flag("FROZEN_CLOCK"),
                       help="do not advance the clock with wall time (env MOCKBI_FROZEN_CLOCK=1)")


def _add_limit_options(serve: argparse.ArgumentParser) -> None:
    """The journal's and the bodies' bounds, and the files the server starts from."""
    serve.add_argument("--journal-size", type=_positive, default=None,
                       help="journal ring-buffer size (default 1000; env MOCKBI_JOURNAL_SIZE)")
    serve.add_argument("--journal-bytes", type=_positive, default=None,
                       help="journal byte budget: the oldest entries go beyond it (default 64 MiB; "
                            "env MOCKBI_JOURNAL_BYTES)")
    serve.add_argument("--journal-body-bytes", type=_positive, default=None,
                       help="a journaled body is cut to this many bytes (default 256 KiB; "
                            "env MOCKBI_JOURNAL_BODY_BYTES)")
    serve.add_argument("--max-body-size", type=_positive, default=None,
                       help="request body limit in bytes (1 MiB; env MOCKBI_MAX_BODY_SIZE)")
    serve.add_argument("--scenario-dir", action="append", default=_env_list("SCENARIO_DIRS", os.pathsep),
                       help="extra folder of <vendor>/<name>.yaml files (repeatable; env MOCKBI_SCENARIO_DIRS, "
                            f"separated by {os.pathsep!r})")
    serve.add_argument("--faults", metavar="FILE", default=_env("FAULTS", "") or None,
                       help="fault rules (a YAML list) active from the start and after every reset "
                            "(env MOCKBI_FAULTS)")
    serve.add_argument("--log-level", type=_log_level, default=None,
                       help="DEBUG, INFO, WARNING or ERROR (default INFO; env MOCKBI_LOG_LEVEL)")
    serve.add_argument("--state", metavar="FILE", default=_env("STATE", "") or None,
                       help="start from a world exported by GET /__mockbi/state (reset still goes back to the seed; "
                            "env MOCKBI_STATE)")


def _add_deployment_options(serve: argparse.ArgumentParser) -> None:
    """How the server runs as a sidecar or a sandbox: its URL, watching, tenants, logs, durable state."""
    serve.add_argument("--public-url", default=_env("PUBLIC_URL", "") or None, metavar="URL",
                       help="the root URL clients use (printed in the banner), e.g. http://mockbi:8080 in a "
                            "compose network (env MOCKBI_PUBLIC_URL)")
    serve.add_argument("--watch", action="store_true", default=_env_flag("WATCH"),
                       help="rebuild a scenario's world at the next reset when its files under --scenario-dir "
                            "change; a broken file logs its error and keeps the previous world (env MOCKBI_WATCH=1)")
    serve.add_argument("--max-tenants", type=_positive, default=None,
                       help="at most this many tenants (/tenants/{name}/, X-Mockbi-Tenant) at once; the least "
                            "recently used unpinned one is evicted (default 32; env MOCKBI_MAX_TENANTS)")
    serve.add_argument("--log-format", choices=("text", "json"), default=_env("LOG_FORMAT", "text"),
                       help="access and server log lines as text or one JSON object per line (env MOCKBI_LOG_FORMAT)")
    serve.add_argument("--state-file", default=os.environ.get(ENV_PREFIX + "STATE_FILE") or None, metavar="PATH",
                       help="keep the world in this SQLite file: every acknowledged write survives a restart "
                            "(env MOCKBI_STATE_FILE; without it nothing is written to disk)")



def _add_tool_parsers(sub: Any) -> list[argparse.ArgumentParser]:
    """coverage, drift, contracts check, seed dump: the parsers whose flags are their own."""
    cov = sub.add_parser("coverage", help="implementation coverage (docs/COVERAGE.md), or `coverage client`",
                         description="Print mockbi's implementation coverage as Markdown; --output FILE writes it "
                                     "(`make coverage-doc` writes docs/COVERAGE.md); --check compares.")
    cov.add_argument("--output", default=None, metavar="FILE", help="write the Markdown to FILE instead of stdout")
    cov.add_argument("--check", action="store_true",
                     help=f"fail if FILE (default {COVERAGE_DOC}) is not current (CI)")
    add_coverage_client_parser(cov)

    add_drift_parser(sub)

    contracts = sub.add_parser("contracts", help="contract tooling")
    csub = contracts.add_subparsers(dest="contracts_command", required=True)
    csub.add_parser("check", help="validate every contract and compile every validator")

    seed = sub.add_parser("seed", help="seeded world tools")
    ssub = seed.add_subparsers(dest="seed_command", required=True)
    dump = ssub.add_parser("dump", help="print the credentials and ids of a seeded world as JSON")
    dump.add_argument("--seed", type=_seed, default=0)
    dump.add_argument("--scenario", default="default")
    dump.add_argument("--scenario-dir", action="append", default=[], help="extra folder of <vendor>/<name>.yaml files")
    scaffold = sub.add_parser("new-vendor", help="start a new vendor from the skeleton (docs/ARCHITECTURE.md)",
                              description="Write mockbi/vendors/NAME/, contracts/NAME/ and seeds/NAME/ for a new "
                                          "REST vendor with one example resource, under a mockbi checkout.")
    scaffold.add_argument("name", metavar="NAME", help="the vendor's slug: lowercase letters, digits, '_'")
    scaffold.add_argument("--root", default=".", help="the mockbi checkout to write into (default: here)")
    return [cov, csub.choices["check"], dump, scaffold]


def _add_admin_options(serve: argparse.ArgumentParser) -> None:
    """The admin lock and browser access (see ``mockbi.core.admin_guard``)."""
    serve.add_argument("--admin-token", default=os.environ.get(ENV_PREFIX + "ADMIN_TOKEN") or None,
                       help="require 'Authorization: Bearer TOKEN' on the admin API and console "
                            "(env MOCKBI_ADMIN_TOKEN; needed when bound off loopback)")
    serve.add_argument("--insecure-admin", action="store_true",
                       default=_env_flag("INSECURE_ADMIN"),
                       help="serve the admin API without a token off loopback (env MOCKBI_INSECURE_ADMIN=1)")
    serve.add_argument("--allowed-host", action="append", default=_env_list("ALLOWED_HOSTS"), metavar="NAME",
                       help="a Host name the admin API answers for besides the bound one "
                            "(repeatable; env MOCKBI_ALLOWED_HOSTS, comma-separated)")
    serve.add_argument("--cors-origin", action="append", default=_env_list("CORS_ORIGINS"), metavar="ORIGIN",
                       help="a browser origin (or '*') allowed to call the vendor routes "
                            "(repeatable; env MOCKBI_CORS_ORIGINS, comma-separated)")


def _env_list(name: str, separator: str = ",") -> list[str]:
    return [part.strip() for part in _env(name, "").split(separator) if part.strip()]


def _env_flag(name: str, default: bool = False) -> bool:
    """``MOCKBI_X=1/true/yes`` or ``0/false/no``; anything else is a usage error naming the variable."""
    raw = os.environ.get(ENV_PREFIX + name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    print(f"mockbi: error: {ENV_PREFIX}{name}={raw!r}: use 1/true/yes or 0/false/no", file=sys.stderr)
    raise SystemExit(2)
