"""Building the web app for tests that serve it (e2e, the proxy hardening test, the
multi-process test). A build names no API address (web/server.mjs proxies to API_ORIGIN, read
when it starts), so they all share one build folder, rebuilt only when a source file changed;
a lock keeps two test runs from building into it at once. ``E2E_DIST_DIR`` gives a second run
on the same checkout a folder of its own."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
NEXT = WEB / "node_modules" / ".bin" / "next"
DIST_DIR = os.environ.get("E2E_DIST_DIR", ".next-test")


def web_sources_digest() -> str:
    """Changes when a file the build reads changes."""
    digest = hashlib.sha256()
    for path in sorted(WEB.rglob("*")):
        rel = path.relative_to(WEB)
        if rel.parts[0] == "node_modules" or rel.parts[0].startswith(".next") or path.is_dir():
            continue
        if path.name in {"next-env.d.ts", "tsconfig.tsbuildinfo", "tsconfig.json"}:
            continue  # next build itself adds its folder's types to tsconfig.json
        stat = path.stat()
        digest.update(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_web(*, log: Path, dist_dir: str = DIST_DIR, env: dict[str, str] | None = None) -> None:
    """``next build`` into ``web/<dist_dir>`` unless it already holds a build of these sources."""
    with (WEB / f"{dist_dir}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second run waits for the first one's build
        _build_unless_current(log=log, dist_dir=dist_dir, env=env)


def _build_unless_current(*, log: Path, dist_dir: str, env: dict[str, str] | None) -> None:
    stamp = WEB / dist_dir / "test-build.json"
    digest = web_sources_digest()
    if stamp.exists() and json.loads(stamp.read_text()).get("digest") == digest:
        return
    build_env = {**(env or os.environ), "NEXT_DIST_DIR": dist_dir}
    build_env["NEXT_TELEMETRY_DISABLED"] = "1"
    with log.open("wb") as out:
        result = subprocess.run(  # noqa: S603 (fixed command)
            [str(NEXT), "build"],
            cwd=WEB,
            env=build_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=600,
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"next build failed:\n{tail}")
    stamp.write_text(json.dumps({"digest": digest}))
