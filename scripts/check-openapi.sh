#!/usr/bin/env bash
# Fails when the committed web/openapi.yaml (and the types generated from it) differ from what the
# code generates now: regenerate with `make web-build` (or the two commands below) and commit.
#
#   DEBUG=true .venv/bin/python manage.py spectacular --file web/openapi.yaml --validate --fail-on-warn
#   cd web && npm run generate
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

DEBUG=true "$PY" manage.py spectacular --file "$tmp/openapi.yaml" --validate --fail-on-warn
status=0
if ! diff -u web/openapi.yaml "$tmp/openapi.yaml" >"$tmp/openapi.diff"; then
  echo "web/openapi.yaml is out of date with the code (run: make web-build, then commit it):" >&2
  head -n 80 "$tmp/openapi.diff" >&2
  status=1
fi

# The TypeScript types and field limits must be generated from the committed schema.
if [ -x web/node_modules/.bin/openapi-typescript ]; then
  (cd web && node_modules/.bin/openapi-typescript openapi.yaml -o "$tmp/schema.d.ts" >/dev/null 2>&1)
  if ! diff -q web/src/api/schema.d.ts "$tmp/schema.d.ts" >/dev/null; then
    echo "web/src/api/schema.d.ts is not generated from web/openapi.yaml (run: cd web && npm run generate)" >&2
    status=1
  fi
  node web/scripts/gen-limits.mjs "$tmp/limits.ts"
  if ! diff -q web/src/api/limits.ts "$tmp/limits.ts" >/dev/null; then
    echo "web/src/api/limits.ts is not generated from web/openapi.yaml (run: cd web && npm run generate)" >&2
    status=1
  fi
fi
exit "$status"
