#!/usr/bin/env bash
# The long chaos run: tests/ops/test_chaos_kill.py with 20 chat clients x 500 messages over two
# API processes, while one is kill -9'ed and restarted on its port, the private Redis is
# restarted and the database connections are terminated, cycle after cycle. Prints the
# figures (faults, restart times, resends) that RELIABILITY.md quotes.
#
#   scripts/chaos-long.sh
#   CHAOS_CLIENTS=40 CHAOS_MESSAGES=1000 CHAOS_DEADLINE=7200 scripts/chaos-long.sh
#
# Needs PostgreSQL (DATABASE_URL, as for scripts/test.sh; use a database of your own) and
# redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHAOS_CLIENTS="${CHAOS_CLIENTS:-20}"
export CHAOS_MESSAGES="${CHAOS_MESSAGES:-500}"
export CHAOS_DEADLINE="${CHAOS_DEADLINE:-3600}"
exec scripts/test.sh tests/ops/test_chaos_kill.py -p no:cacheprovider -s -o timeout=0 "$@"
