#!/usr/bin/env bash
# Runs every test: the Django suite (in parallel), the channels_pulsar package's own suite, and
# the end-to-end suite in Chromium. Arguments, if any, are passed to one pytest run instead
# (for example: scripts/test.sh tests/accounts -x).
#
# Services: PostgreSQL when DATABASE_URL is set or 127.0.0.1:5432 answers (else SQLite, and the
# PostgreSQL-only tests are skipped loudly); Redis at REDIS_URL (default 127.0.0.1:6379). The
# tests start what else they need themselves (pulsar-lite broker, moto's S3 server, the web and
# API servers for end-to-end tests) and stop it afterwards.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

port_open() { $PY - "$1" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PYEOF
}

if [ -z "${DATABASE_URL:-}" ]; then
  if port_open 127.0.0.1 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/tangerine"
  else
    echo "!!! PostgreSQL is not reachable: running on SQLite; tests marked 'postgres' are SKIPPED." >&2
  fi
fi
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
if ! port_open 127.0.0.1 6379; then
  echo "!!! Redis is not reachable at 127.0.0.1:6379: tests marked 'redis' are SKIPPED." >&2
fi
echo "Database: ${DATABASE_URL:-sqlite (in memory)}"

# A production-like configuration with test-only keys and a fast password hasher.
export DEBUG=false SECURE_SSL_REDIRECT=false
export SECRET_KEY="test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
export JWT_SIGNING_KEY="test-only-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz"
export ALLOWED_HOSTS="testserver,127.0.0.1,localhost"
# The admin is mounted only where ADMIN_URL asks for it (production default: none); the tests of
# the admin need it, and tests/core/test_hardening_admin.py checks the unmounted default.
export ADMIN_URL="${ADMIN_URL-admin/}"
export PASSWORD_HASHERS_FAST=true OMP_NUM_THREADS=1 PYTHONHASHSEED=0 TASKS_BACKEND=immediate
# The suite's own process opens a connection per test thread (50-thread races): no pool there;
# server processes that tests start set DATABASE_POOL_MAX_SIZE themselves where they test it.
export DATABASE_POOL_MAX_SIZE=0
# Server processes the tests start need no tokenizer warm-up (it costs seconds of CPU at start).
export SEARCH_WARM_AT_START=false
export GC_SETTLE_AT_START=false
# Search index sync is on in tests/search (and the end-to-end server); elsewhere writes skip it.
export SEARCH_INDEX_SYNC=false EMBEDDING_BACKEND=hash
# Keyword scoring in SQL unless a test turns the postings copy on (tests/search/test_postings.py).
export SEARCH_POSTINGS_CACHE=false
# No store-link sweep behind a test's back (tests/products/test_linkcheck.py runs it by hand).
export LINK_CHECK_EVERY=0
export TANGERINE_VAR_DIR="${TANGERINE_VAR_DIR:-$(mktemp -d /tmp/tangerine-test.XXXXXX)}"

if [ $# -gt 0 ]; then
  exec $PY -m pytest "$@"
fi

reports=$(mktemp -d)
status=0
run() {  # run NAME pytest-args...: exit code 5 (nothing collected) is not a failure
  local name=$1; shift
  echo; echo "=== $name ==="
  $PY -m pytest --junitxml="$reports/$name.xml" "$@"
  local rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then status=1; fi
}

run django -n 2 --dist loadfile -m "not e2e" tests
run channels_pulsar -p no:cacheprovider -c packages/channels_pulsar/pyproject.toml packages/channels_pulsar/tests
run e2e -m e2e tests/e2e

$PY - "$reports" <<'PYEOF'
import pathlib, sys, xml.etree.ElementTree as ET
totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for f in pathlib.Path(sys.argv[1]).glob("*.xml"):
    for suite in ET.parse(f).getroot().iter("testsuite"):
        for k in totals:
            totals[k] += int(suite.get(k, 0))
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print()
print(f"{passed} passed, {failed} failed, {totals['skipped']} skipped")
PYEOF
exit $status
