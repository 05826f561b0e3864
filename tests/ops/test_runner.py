"""scripts/run-prod.sh and scripts/proc.sh run the Procfile's lines and stop them together."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, procfile: Path, **extra: str) -> dict[str, str]:
    """Shared services named: the check only reads them, and nothing is migrated or contacted."""
    return {
        **os.environ,
        "DATABASE_URL": "postgres://tangerine@127.0.0.1:5432/tangerine",
        "MIGRATE_ON_START": "false",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CHANNEL_LAYER_URL": "redis://127.0.0.1:6379/1",
        "MILVUS_URI": "http://127.0.0.1:19530",
        "TASKS_BACKEND": "database",
        "TANGERINE_VAR_DIR": str(tmp_path / "var"),
        "PROCFILE": str(procfile),
        **extra,
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_when_one_process_exits_the_others_are_stopped(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    pidfile = tmp_path / "sleeper.pid"
    procfile.write_text(
        "# a comment line is skipped\n"
        f"sleeper: echo $$ > {pidfile}; exec sleep 60\n"
        "quitter: sleep 1; echo bye; exit 3\n"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line of ours
        ["/bin/bash", str(ROOT / "scripts" / "run-prod.sh")],
        cwd=ROOT,
        env=_env(tmp_path, procfile),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    assert "[quitter] bye" in result.stdout
    assert "a process exited (status 3)" in result.stderr
    assert "Operations to perform" not in result.stdout  # MIGRATE_ON_START=false
    assert not _alive(int(pidfile.read_text()))


def test_a_term_to_the_runner_stops_every_process(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    pidfile = tmp_path / "sleeper.pid"
    procfile.write_text(f"sleeper: echo $$ > {pidfile}; exec sleep 60\n")
    runner = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
        ["/bin/bash", str(ROOT / "scripts" / "run-prod.sh")],
        cwd=ROOT,
        env=_env(tmp_path, procfile),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not pidfile.exists() or not pidfile.read_text().strip():
            assert time.monotonic() < deadline, "the process never started"
            time.sleep(0.1)
        sleeper = int(pidfile.read_text())
        runner.send_signal(signal.SIGTERM)  # to the runner alone, as a service manager does
        assert runner.wait(20) == 143
        assert not _alive(sleeper)
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()


def test_proc_sh_runs_one_line_of_the_procfile_in_place(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text("api: echo api-line\nworker: echo worker-line $$\n")
    run = subprocess.run(  # noqa: S603 - a fixed command line of ours
        ["/bin/bash", str(ROOT / "scripts" / "proc.sh"), "worker"],
        env={**os.environ, "PROCFILE": str(procfile)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0
    assert run.stdout.startswith("worker-line ")
    missing = subprocess.run(  # noqa: S603 - a fixed command line of ours
        ["/bin/bash", str(ROOT / "scripts" / "proc.sh"), "web"],
        env={**os.environ, "PROCFILE": str(procfile)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert missing.returncode == 2
    assert "no process type 'web'" in missing.stderr
