#!/usr/bin/env bash
# Runs one process type of the Procfile in place (exec): `scripts/proc.sh api`. The container
# images start their process this way, so the Procfile stays the one place a command is written.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/proc.sh <process type of the Procfile>}"
line="$(grep -E "^${name}:" "${PROCFILE:-Procfile}" | head -n 1 || true)"
[ -n "$line" ] || { echo "proc.sh: no process type '$name' in ${PROCFILE:-Procfile}" >&2; exit 2; }
exec bash -c "${line#*:}"
