"""The built wheel carries the contracts and scenario files, and an installed copy can serve."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (found,) = out.glob("mockbi-*.whl")
    return found


def test_wheel_ships_contracts_and_seeds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for contract in sorted((ROOT / "contracts").rglob("*")):
        if contract.is_file():
            assert f"mockbi/_data/contracts/{contract.relative_to(ROOT / 'contracts').as_posix()}" in names
    for seed in sorted((ROOT / "seeds").rglob("*.yaml")):
        assert f"mockbi/_data/seeds/{seed.relative_to(ROOT / 'seeds').as_posix()}" in names
    assert "mockbi/pytest_plugin.py" in names
    assert "mockbi/py.typed" in names  # PEP 561: a user's mypy reads mockbi's own annotations
    for console_file in ("index.html", "console.js", "console.css"):  # the console works offline from the wheel
        assert f"mockbi/console_static/{console_file}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "mockbi = mockbi.cli:main" in text
    assert "mockbi = mockbi.pytest_plugin" in text


def test_installed_copy_serves_from_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--target", str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    script = (
        "import mockbi, sys\n"
        "from mockbi.core.resources import data_dir\n"
        "from mockbi.server import ServerThread\n"
        "import urllib.request, json\n"
        f"assert mockbi.__file__.startswith({str(target)!r}), mockbi.__file__\n"
        f"assert str(data_dir('contracts')).startswith({str(target)!r})\n"
        "with ServerThread() as s:\n"
        "    info = json.load(urllib.request.urlopen(s.url + '/__mockbi/info'))\n"
        "    health = json.load(urllib.request.urlopen(s.url + '/__mockbi/health'))\n"
        "print(health['status'], sorted(info['vendors']))\n"
    )
    site_packages = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), site_packages])}
    result = subprocess.run([sys.executable, "-I", "-c", script.replace("import mockbi, sys",
                             f"import sys; sys.path[:0] = {[str(target), site_packages]!r}\nimport mockbi")],
                            capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


USER_TEST = """\
from __future__ import annotations

from mockbi import CallList, MockbiHandle
from mockbi.vendors.posthog.store import PostHogStore


def test_a_typed_user_test(mockbi: MockbiHandle) -> None:
    store: PostHogStore = mockbi.store(PostHogStore)
    calls: CallList = mockbi.calls("posthog")
    url: str = mockbi.base_url("posthog")
    assert len(store.dashboards) >= 0 and url and not calls
"""


def test_a_users_strict_mypy_reads_mockbis_types(tmp_path: Path) -> None:
    """Installed (here: editable) mockbi is typed for its users: ``mypy --strict`` on a test that uses the
    handle and a typed store passes, and a wrong type is caught (mypy does read the annotations)."""
    (tmp_path / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    (tmp_path / "test_wrong.py").write_text(USER_TEST.replace("url: str", "url: int"), encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
    ok = subprocess.run([*command, "test_user.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    wrong = subprocess.run([*command, "test_wrong.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert wrong.returncode == 1 and 'Incompatible types in assignment (expression has type "str"' in wrong.stdout
