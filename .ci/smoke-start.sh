#!/usr/bin/env bash
# `npm start` as a newcomer runs it: embedded PostgreSQL, demo data on the first start, the same
# data on the second, a graceful stop (exit status 0) on SIGINT and on SIGTERM. Uses a port of its own and a fresh .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3917}
log=$(mktemp)
rm -rf .data

start_and_check() {
  local signal=$1
  # A process group of its own, signalled as a terminal's Ctrl-C (INT) or a service manager (TERM) would.
  setsid env -u DATABASE_URL PORT="$port" npm start >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 90); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited early"; return 1; }
    sleep 1
  done
  # The page is read whole first: `curl | grep -q` under pipefail fails the run when grep closes the pipe early.
  local page
  page=$(curl -fsS "http://127.0.0.1:$port/")
  grep -q 'Jäsenille' <<<"$page" || { cat "$log"; echo "front page lacks «Jäsenille»"; return 1; }
  local status=0
  if [ "$signal" = INT ]; then
    # Ctrl-C in a terminal: the whole process group (npm, the app, PostgreSQL) gets SIGINT; npm then exits 130 itself.
    kill -INT -- "-$pid"
    wait "$pid" || true
  else
    # A service manager or container runtime: SIGTERM to the app's own process; npm passes its exit status on.
    kill -TERM "$(pgrep -s "$pid" -f '^node .*dist/src/server.js')"
    wait "$pid" || status=$?
    [ "$status" -eq 0 ] || { cat "$log"; echo "npm start exited with status $status after SIGTERM (a graceful stop exits 0)"; return 1; }
  fi
  grep -q '"msg":"stopped"' "$log" || { cat "$log"; echo "no graceful stop logged after SIG$signal"; return 1; }
  sleep 1
  if pgrep -f "postgres -D $(pwd)/.data/postgres" >/dev/null; then echo "embedded PostgreSQL left running after SIG$signal"; return 1; fi
}

start_and_check INT
grep -q 'demo data loaded' "$log" || { cat "$log"; echo "first start did not load the demo data"; exit 1; }
start_and_check TERM
if grep -q 'demo data loaded' "$log"; then echo "second start loaded the demo data again instead of reusing it"; exit 1; fi
grep -q 'database migrations applied' "$log" && { echo "second start re-applied migrations"; exit 1; }
rm -f "$log"
echo "npm start smoke test passed: first start seeded, second start reused the data, SIGINT stopped it gracefully, SIGTERM with exit 0, and PostgreSQL stopped with it"
