"""``mockbi`` command line: serve | coverage | contracts check | seed dump | drift | new-vendor. Each command
is a few lines calling the library; the parser and the ``MOCKBI_*`` variables it reads are in
``cli_parser.py`` (with this module, the only code that reads the environment)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import orjson

from mockbi.cli_kit import coverage_client, drift
from mockbi.cli_parser import COVERAGE_DOC, ENV_CHECKED, build_parser, from_env
from mockbi.config import MockbiConfig
from mockbi.core.errors import ConfigError, MockbiError
from mockbi.core.suggest import closest

log = logging.getLogger("mockbi")



def _check_admin_exposure(args: argparse.Namespace) -> None:
    from mockbi.core.admin_guard import is_loopback

    if not is_loopback(args.host) and not args.admin_token and not args.insecure_admin:
        raise ConfigError(f"--host {args.host} exposes the admin API beyond this machine: give --admin-token TOKEN "
                          "(or MOCKBI_ADMIN_TOKEN), or --insecure-admin to serve it open")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse; a flag no subcommand knows is reported with that subcommand's usage and the closest flag."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        leaf: argparse.ArgumentParser = getattr(args, "leaf_parser", parser)
        flags = [o for action in leaf._actions for o in action.option_strings]
        hint = closest(extra[0].split("=", 1)[0], flags) if extra[0].startswith("-") else None
        leaf.error(f"unrecognized arguments: {' '.join(extra)}" + (f" (did you mean {hint}?)" if hint else ""))
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "coverage":
            return _coverage(args)
        if args.command == "contracts":
            return _contracts_check()
        if args.command == "seed":
            return _seed_dump(args)
        if args.command == "drift":
            return drift(args)
        if args.command == "new-vendor":
            return _new_vendor(args)
    except MockbiError as exc:
        print(f"mockbi: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the port is taken, the host does not resolve...: one line, not a traceback
        print(f"mockbi: error: cannot serve: {exc}", file=sys.stderr)
        return 2
    return 1


def _check_scenario_dirs(dirs: list[str]) -> None:
    missing = [d for d in dirs if not Path(d).is_dir()]
    if missing:
        raise ConfigError(f"--scenario-dir {missing[0]!r} is not a folder")


def _serve(args: argparse.Namespace) -> int:
    # startup allocates ~1M long-lived objects: collecting while they pile up is ~10% of the start; serve_forever
    # freezes them and collects again from there
    gc.disable()
    from mockbi.core.access_log import configure_logging
    from mockbi.serve import serve_forever

    for dest, (name, default, convert) in ENV_CHECKED.items():
        setattr(args, dest, from_env(getattr(args, dest), name, default, convert))
    _check_scenario_dirs(args.scenario_dir)
    _check_admin_exposure(args)
    configure_logging(args.log_level, args.log_format)
    config = MockbiConfig(bind_host=args.host, admin_token=args.admin_token, allowed_hosts=tuple(args.allowed_host),
                          cors_origins=tuple(args.cors_origin), state_file=args.state_file,
                          max_tenants=args.max_tenants, watch_scenarios=args.watch,
                          seed=args.seed, scenario=args.scenario,
                          vendors=tuple(name for group in args.vendors or () for name in group),
                          strict=args.strict, journal_size=args.journal_size, max_body_size=args.max_body_size,
                          journal_bytes=args.journal_bytes, journal_body_bytes=args.journal_body_bytes,
                          clock_mode="frozen" if args.frozen_clock else "wall",
                          validate_responses=not args.no_validate_responses,
                          scenario_dirs=tuple(args.scenario_dir), faults=_fault_rules(args.faults),
                          initial_state=args.state)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(serve_forever(config, args.host, args.port, stop,
                                              public_url=args.public_url.rstrip("/") if args.public_url else None))
    except OSError as exc:  # the host does not resolve, the port is taken...: name both
        raise ConfigError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    finally:
        loop.close()
    return 0


def _fault_rules(path: str | None) -> tuple[dict[str, Any], ...]:
    from mockbi.core.fault_file import load_fault_file

    return load_fault_file(path) if path else ()


def _coverage(args: argparse.Namespace) -> int:
    if getattr(args, "coverage_command", None) == "client":
        return coverage_client(args)
    from mockbi.app import create_app
    from mockbi.core.coverage import coverage_markdown, coverage_report
    from mockbi.keys import RUNTIME

    rt = create_app(MockbiConfig())[RUNTIME]
    text = coverage_markdown(coverage_report([vr.vendor for vr in rt.vendors.values()],
                                             {n: vr.contract for n, vr in rt.vendors.items()}))
    if args.check:
        out = Path(args.output or COVERAGE_DOC)
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"mockbi: {out} is out of date; run `mockbi coverage --output {out}`", file=sys.stderr)
            return 1
        print(f"{out} is current")
        return 0
    if args.output is None:  # never write into the working directory unless asked
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _contracts_check() -> int:
    from mockbi.core.contract_check import check_all

    problems = check_all()
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print("all contracts valid")
    return 1 if problems else 0


def _new_vendor(args: argparse.Namespace) -> int:
    from mockbi.scaffold import new_vendor, next_steps

    for path in new_vendor(Path(args.root), args.name):
        print(f"wrote {path}")
    print(next_steps(args.name))
    return 0


def _seed_dump(args: argparse.Namespace) -> int:
    from mockbi.app import create_app
    from mockbi.keys import RUNTIME

    _check_scenario_dirs(args.scenario_dir)
    config = MockbiConfig(seed=args.seed, scenario=args.scenario, scenario_dirs=tuple(args.scenario_dir))
    info: Any = create_app(config)[RUNTIME].info()
    sys.stdout.write(orjson.dumps(info, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
