#!/usr/bin/env bash
# Serves the product: Django (ASGI: HTTP + WebSocket) on 127.0.0.1:8000 and the Next.js server
# on 127.0.0.1:3000, which proxies /api/, /media/ and /ws/ to Django. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
.venv/bin/uvicorn tangerine.config.asgi:application --app-dir src --host 127.0.0.1 --port 8000 \
  --ws websockets --ws-per-message-deflate false &
pids+=($!)
(cd web && PORT=3000 HOSTNAME=127.0.0.1 npm run --silent start) &
pids+=($!)
wait -n
