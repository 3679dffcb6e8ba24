"""The CI recipes (Dockerfile, compose file, GitHub Actions example) only use settings the CLI knows.

No Docker daemon runs here, so the files are checked against ``mockbi serve --help`` instead of being run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RECIPES = [ROOT / "Dockerfile", ROOT / "examples" / "docker-compose.yml", ROOT / "examples" / "github-actions.yml",
           ROOT / "examples" / "kubernetes.yaml"]


def _documented_variables() -> set[str]:
    help_text = subprocess.run([sys.executable, "-m", "mockbi", "serve", "--help"], capture_output=True, text=True,
                               check=True, cwd=ROOT).stdout
    return set(re.findall(r"MOCKBI_[A-Z_]+", help_text))


def test_every_variable_a_recipe_sets_is_a_serve_setting() -> None:
    known = _documented_variables() | {"MOCKBI_URL"}  # MOCKBI_URL: what the example clients read
    for recipe in RECIPES:
        used = set(re.findall(r"MOCKBI_[A-Z_]+", recipe.read_text()))
        assert used, recipe
        assert used <= known, (recipe.name, sorted(used - known))


def test_the_dockerfile_keeps_its_health_check_non_root_user_and_entrypoint() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "HEALTHCHECK" in text and "/__mockbi/health" in text
    assert 'ENTRYPOINT ["mockbi", "serve", "--host", "0.0.0.0"]' in text
    assert "MOCKBI_ADMIN_TOKEN" in text  # off loopback the admin API needs one (or MOCKBI_INSECURE_ADMIN=1)


def test_the_compose_and_actions_examples_are_valid_yaml_with_a_mockbi_service() -> None:
    compose = yaml.safe_load((ROOT / "examples" / "docker-compose.yml").read_text())
    assert compose["services"]["mockbi"]["environment"]["MOCKBI_ADMIN_TOKEN"]
    assert compose["services"]["client"]["depends_on"]["mockbi"]["condition"] == "service_healthy"
    actions = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text())
    service = actions["jobs"]["test"]["services"]["mockbi"]
    assert service["ports"] == ["8080:8080"] and "MOCKBI_ADMIN_TOKEN" in service["env"]


def test_every_serve_option_names_its_environment_variable() -> None:
    help_text = subprocess.run([sys.executable, "-m", "mockbi", "serve", "--help"], capture_output=True, text=True,
                               check=True, cwd=ROOT).stdout
    options = re.split(r"\n  (?=--)", help_text.split("options:", 1)[1])[1:]
    without = [o.split()[0] for o in options if "MOCKBI_" not in o and not o.startswith("--help")]
    assert without == []


def test_the_kubernetes_example_probes_health_and_hashes_on_the_tenant() -> None:
    docs = {d["kind"]: d for d in yaml.safe_load_all((ROOT / "examples" / "kubernetes.yaml").read_text())}
    container = docs["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/__mockbi/health"
    assert {e["name"] for e in container["env"]} >= {"MOCKBI_ADMIN_TOKEN", "MOCKBI_MAX_TENANTS"}
    annotations = docs["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$mockbi_tenant"
