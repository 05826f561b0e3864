#!/usr/bin/env bash
# Runs the Procfile's processes (api, worker, web) against the services named by environment
# variables: DATABASE_URL, CACHE_URL, CHANNEL_LAYER_URL, MILVUS_URI, TASKS_BACKEND=database, ...
# (docs/operations.md). First it refuses to start on embedded defaults that several processes
# cannot share (`manage.py check_prod_topology`), then it migrates (unless
# MIGRATE_ON_START=false), then it starts every process
# with its output prefixed by its name. When one process exits, the others are stopped.
# PROCFILE=path picks another Procfile; ONLY="api worker" starts some of its processes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The Procfile's default for the api line: the check must count the same number of processes.
export API_PROCESSES="${API_PROCESSES:-2}"
# Django sits behind exactly one proxy, the web server (see scripts/run.sh).
export NUM_PROXIES="${NUM_PROXIES:-1}"

$PY manage.py check_prod_topology
# MIGRATE_ON_START=false when a release step migrates (one migration per release, not per start).
if [ "${MIGRATE_ON_START:-true}" != "false" ]; then
  $PY manage.py migrate --noinput
fi

procfile="${PROCFILE:-Procfile}"
pids=()
cleanup() {
  trap - EXIT INT TERM
  # TERM: uvicorn closes its sockets (1001) and finishes its requests; the worker its job.
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo "run-prod: stopping" >&2; cleanup; exit 143' TERM
trap 'echo "run-prod: stopping" >&2; cleanup; exit 130' INT
while IFS= read -r line; do
  [[ "$line" =~ ^([A-Za-z0-9_-]+):[[:space:]]*(.+)$ ]] || continue
  name="${BASH_REMATCH[1]}" command="${BASH_REMATCH[2]}"
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  echo "run-prod: starting $name"
  # Its output lines prefixed by its name.
  bash -c "$command" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
done < "$procfile"
[ ${#pids[@]} -gt 0 ] || { echo "run-prod: no process to start in $procfile" >&2; exit 1; }
status=0
wait -n || status=$?
echo "run-prod: a process exited (status $status); stopping the others" >&2
exit "$status"
