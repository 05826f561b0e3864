"""Building the web app for tests that serve it (e2e, the proxy hardening test, the
multi-process test): each build folder (``NEXT_DIST_DIR``) is rebuilt only when a source file
or the API origin baked into its rewrites changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
NEXT = WEB / "node_modules" / ".bin" / "next"


def web_sources_digest(api_origin: str) -> str:
    """Changes when a file the build reads changes (or the API origin baked into rewrites)."""
    digest = hashlib.sha256(api_origin.encode())
    for path in sorted(WEB.rglob("*")):
        rel = path.relative_to(WEB)
        if rel.parts[0] == "node_modules" or rel.parts[0].startswith(".next") or path.is_dir():
            continue
        if path.name in {"next-env.d.ts", "tsconfig.tsbuildinfo", "tsconfig.json"}:
            continue  # next build itself adds its folder's types to tsconfig.json
        stat = path.stat()
        digest.update(f"{rel}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_web(
    *, api_origin: str, dist_dir: str, log: Path, env: dict[str, str] | None = None
) -> None:
    """``next build`` into ``web/<dist_dir>`` for ``api_origin`` unless already built so."""
    stamp = WEB / dist_dir / "test-build.json"
    digest = web_sources_digest(api_origin)
    if stamp.exists() and json.loads(stamp.read_text()).get("digest") == digest:
        return
    build_env = {**(env or os.environ), "API_ORIGIN": api_origin, "NEXT_DIST_DIR": dist_dir}
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
    stamp.write_text(json.dumps({"digest": digest, "api_origin": api_origin}))
