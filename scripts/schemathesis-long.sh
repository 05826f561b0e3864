#!/usr/bin/env bash
# The long schema fuzzing run: tests/security/test_schema_fuzz.py with every schemathesis phase
# (examples, coverage, fuzzing, stateful) and more examples per operation, against a live
# uvicorn server on the test database, as a signed-in user and anonymously. The reports
# (schemathesis's JSON and text output, the server's log) stay in SCHEMA_FUZZ_REPORT_DIR.
#
#   scripts/schemathesis-long.sh                      # 100 examples per operation, random seed
#   SCHEMA_FUZZ_EXAMPLES=500 SCHEMA_FUZZ_MAX_TIME=3600 scripts/schemathesis-long.sh
#
# SCHEMA_FUZZ_MAX_TIME (default 600) is the time budget of each of the two runs (signed in,
# anonymous), in seconds: schemathesis repeats fuzzing and stateful testing until it is spent,
# so the whole script takes about twice that plus a minute.
#
# Needs PostgreSQL (DATABASE_URL, as for scripts/test.sh; use a database of your own).
set -euo pipefail
cd "$(dirname "$0")/.."
export SCHEMA_FUZZ_EXAMPLES="${SCHEMA_FUZZ_EXAMPLES:-100}"
export SCHEMA_FUZZ_PHASES="${SCHEMA_FUZZ_PHASES:-examples,coverage,fuzzing,stateful}"
export SCHEMA_FUZZ_SEED="${SCHEMA_FUZZ_SEED:-random}"
export SCHEMA_FUZZ_MAX_TIME="${SCHEMA_FUZZ_MAX_TIME:-600}"
export SCHEMA_FUZZ_REPORT_DIR="${SCHEMA_FUZZ_REPORT_DIR:-$(mktemp -d /tmp/schema-fuzz.XXXXXX)}"
echo "reports in $SCHEMA_FUZZ_REPORT_DIR"
exec scripts/test.sh tests/security/test_schema_fuzz.py -p no:cacheprovider -s \
  -o timeout=0 "$@"
