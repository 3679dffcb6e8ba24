"""Issue 12 E19: scenario files, the CLI and the handle answer a mistake with one line naming the input and
what is allowed (closest name suggested); exit status 2 for the CLI, 400 JSON for the admin API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from mockbi.cli import main
from mockbi.core.errors import ConfigError
from mockbi.handle import MockbiHandle


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _scenario(tmp_path: Path, text: str, name: str = "mine", vendor: str = "posthog") -> str:
    folder = tmp_path / vendor
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return str(tmp_path)


def _one_line_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, _, err = _cli(capsys, *argv)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- scenario files ---------------------------------------------------------------------------------------------

SCENARIO_MISTAKES = [
    ("dashboards: [\n  - name: a\n  name: b", "not valid YAML at line"),
    ("generated_dashboards: lots", "generated_dashboards must be a whole number, not 'lots'"),
    ("extends: mine", "'extends' makes a cycle: mine -> mine"),
    ("extends: nosuch", "extends unknown scenario 'nosuch'"),
    ("generated_dashbords: 3", "unknown key 'generated_dashbords'"),
    ("- just\n- a list", "must hold a mapping"),
]


@pytest.mark.parametrize(("text", "expected"), SCENARIO_MISTAKES)
def test_scenario_file_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                             expected: str) -> None:
    folder = _scenario(tmp_path, text)
    line = _one_line_error(capsys, "seed", "dump", "--scenario-dir", folder, "--scenario", "mine")
    assert expected in line and "mine.yaml" in line, line


def test_a_typod_key_suggests_the_closest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _scenario(tmp_path, "generated_dashbords: 3")
    line = _one_line_error(capsys, "seed", "dump", "--scenario-dir", folder, "--scenario", "mine")
    assert "did you mean 'generated_dashboards'?" in line


def test_a_user_default_yaml_is_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _scenario(tmp_path, "generated_dashboards: 1", name="default")
    line = _one_line_error(capsys, "seed", "dump", "--scenario-dir", folder)
    assert "'default' is a packaged scenario" in line and "extends: default" in line


def test_a_folder_named_after_no_vendor_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _scenario(tmp_path, "generated_dashboards: 1", vendor="postgog")
    line = _one_line_error(capsys, "seed", "dump", "--scenario-dir", folder)
    assert "unknown vendor folder 'postgog'" in line and "did you mean 'posthog'?" in line


def test_seed_dump_reads_scenario_dirs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _scenario(tmp_path, "extends: empty\ngenerated_dashboards: 2")
    code, out, _ = _cli(capsys, "seed", "dump", "--scenario-dir", folder, "--scenario", "mine")
    assert code == 0 and json.loads(out)["scenario"] == "mine"


def test_large_adds_what_the_readme_says() -> None:
    from mockbi import MockbiConfig, create_app
    from mockbi.keys import RUNTIME

    def count(scenario: str) -> int:
        config = MockbiConfig(vendors=("posthog",), scenario=scenario)
        return len(create_app(config)[RUNTIME].store("posthog").dashboards)  # type: ignore[attr-defined]

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`large` gives PostHog {count('large') - count('default')} more dashboards" in readme


# --- the command line -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "expected"), [
    (["serve", "--port", "abc"], "argument --port: the port must be a whole number from 0 to 65535, not 'abc'"),
    (["serve", "--seed", "-5"], "the seed must be a whole number of at least 0, not -5"),
    (["serve", "--vendors", "posthog,lightdsh"], "unknown vendor 'lightdsh'"),
    (["serve", "--prot", "80"], "unrecognized arguments: --prot 80 (did you mean --port?)"),
    (["seed", "dump", "--seeed", "3"], "did you mean --seed?"),
])
def test_cli_usage_mistakes(capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    code, _, err = _cli(capsys, *argv)
    assert code == 2 and expected in err, err
    assert err.startswith(f"usage: mockbi {argv[0]}"), err  # the subcommand's usage, not the top level's


def test_a_bad_environment_variable_is_named(capsys: pytest.CaptureFixture[str], monkeypatch: Any) -> None:
    monkeypatch.setenv("MOCKBI_PORT", "abc")
    line = _one_line_error(capsys, "serve")
    assert line.startswith("mockbi: error: MOCKBI_PORT='abc': the port must be") and "--port" not in line


def test_vendors_may_be_given_with_commas(monkeypatch: Any) -> None:
    import mockbi.serve as serve_module

    seen: dict[str, Any] = {}

    async def fake_serve(config: Any, host: str, port: int, stop: Any, **options: Any) -> None:
        seen["vendors"] = config.vendors

    monkeypatch.setattr(serve_module, "serve_forever", fake_serve)
    assert main(["serve", "--vendors", "posthog,lightdash", "--port", "0"]) == 0
    assert seen["vendors"] == ("posthog", "lightdash")


def test_an_unresolvable_host_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    line = _one_line_error(capsys, "serve", "--host", "nosuchhost.invalid", "--port", "0", "--insecure-admin")
    assert "nosuchhost.invalid" in line


# --- the handle and the admin API -------------------------------------------------------------------------------

def test_handle_mistakes_are_one_line(mockbi: MockbiHandle) -> None:
    with pytest.raises(ConfigError, match=r"unknown vendor 'postgog'.*did you mean 'posthog'\?"):
        mockbi.base_url("postgog")
    with pytest.raises(ConfigError, match=r"unknown fault option 'statuss'.*did you mean 'status'\?"):
        mockbi.fault("posthog", "dashboards_list", statuss=500)
    with pytest.raises(ConfigError, match=r"unknown journal filter 'pth'"):
        mockbi.journal.filter(pth="/api/")
    with pytest.raises(ConfigError, match=r"did you mean 'dashboards_list'\?"):
        mockbi.fault("posthog", "dashboard_list", status=500)


def test_admin_fault_mistakes_are_400_json(mockbi: MockbiHandle) -> None:
    resp = requests.post(mockbi.url + "/__mockbi/faults", json={"vendor": "posthog", "statuss": 500}, timeout=30)
    assert resp.status_code == 400 and "did you mean 'status'?" in resp.json()["error"]
    resp = requests.post(mockbi.url + "/__mockbi/faults", json={"vendor": "postgog", "status": 500}, timeout=30)
    assert resp.status_code == 400 and "did you mean 'posthog'?" in resp.json()["error"]


def test_admin_reset_and_clock_typos_are_400_json(mockbi: MockbiHandle) -> None:
    resp = requests.post(mockbi.url + "/__mockbi/reset", json={"seeed": 5}, timeout=30)
    assert resp.status_code == 400 and "did you mean 'seed'?" in resp.json()["error"]
    assert mockbi.seed == 0
    resp = requests.post(mockbi.url + "/__mockbi/clock", json={"advanse": 5}, timeout=30)
    assert resp.status_code == 400 and "did you mean 'advance'?" in resp.json()["error"]
