#!/usr/bin/env bash
# Serves the product: Django (ASGI: HTTP + WebSocket) on 127.0.0.1:8000 and the Next.js server
# on 127.0.0.1:3000 (web/server.mjs), which proxies /api/, /media/ and /ws/ to Django. Ctrl-C
# stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
# Django sits behind exactly one proxy, the web server (web/server.mjs), which sets
# X-Forwarded-For to the address it saw. uvicorn must not rewrite the client address itself
# (--no-proxy-headers: by default it trusts the header from any loopback peer); Django reads it,
# trusting NUM_PROXIES entries. --ws-max-size: frames above 64 KiB are refused by uvicorn (the
# chat's own limit, CHAT_MAX_FRAME_BYTES, is 16 KB; uvicorn's default would take 16 MiB).
export NUM_PROXIES="${NUM_PROXIES:-1}"
.venv/bin/uvicorn tangerine.config.asgi:application --app-dir src --host 127.0.0.1 --port 8000 \
  --ws websockets --ws-per-message-deflate false --no-proxy-headers \
  --ws-max-size "${WS_MAX_SIZE:-65536}" &
pids+=($!)
(cd web && PORT=3000 HOSTNAME=127.0.0.1 NODE_ENV=production node server.mjs) &
pids+=($!)
wait -n
