#!/usr/bin/env bash
# Throughput while the ledger's PostgreSQL is away. Not a test (DatabaseOutageTest is): this measures how much of the
# request rate survives an outage. A private PostgreSQL cluster (initdb in a temp directory, port 55432, run as the
# postgres user) so the shared one is never stopped; the gateway runs on bench/bench.yaml against it, the nginx upstream
# answers. Three phases of PHASE seconds of wrk at CONNS connections: database up; database crashed (pg_ctl stop -m
# immediate: connections break mid-batch, as when its node dies); database back. Reports requests/s, non-2xx and the
# gateway's readiness per phase, then waits for the spill file to be replayed and checks the ledger holds one row per
# answered request. Appends a section to bench/RESULTS.md.
#   bench/outage.sh            (PHASE=20 CONNS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE=${PHASE:-20}
CONNS=${CONNS:-32}
PORT=55432
. bench/lib.sh
bench_prepare
PG_BIN=$(dirname "$(readlink -f "$(command -v initdb)")")
DATA=$(mktemp -d /tmp/tollgate-outage-pg.XXXXXX)
chown postgres "$DATA"
pg() { su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $DATA -l $DATA/log -o '-p $PORT -k /tmp' $*" >/dev/null; }
su postgres -s /bin/sh -c "$PG_BIN/initdb -D $DATA -U postgres --auth=trust" >/dev/null
pg -w start
trap 'kill "${GW:-}" "${NGX:-}" 2>/dev/null || true; pg -m immediate stop 2>/dev/null || true; rm -rf "$DATA"' EXIT
psql -h 127.0.0.1 -p $PORT -U postgres -qc "CREATE DATABASE tollgate_outage"
rm -rf /tmp/tollgate-bench-spill
start_nginx
BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:$PORT/tollgate_outage BENCH_DATABASE_USER=postgres \
  "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders -jar "$JAR" \
  --config bench/bench.yaml > bench/out/outage-gateway.log 2>&1 & GW=$!
for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
answered=0
count() { awk '/requests in/ {n=$1} /Non-2xx/ {e=$5} END {print n - e}' "$1"; }
wrk -t2 -c"$CONNS" -d5s -s bench/chat.lua http://127.0.0.1:14000/v1/chat/completions > bench/out/outage-warmup.txt
answered=$(count bench/out/outage-warmup.txt)
declare -A RPS NON2XX READY
phase() { # name: runs wrk, samples readiness each second
  local name=$1 out ready=0 probes=0
  wrk -t2 -c"$CONNS" -d"${PHASE}s" -s bench/chat.lua http://127.0.0.1:14000/v1/chat/completions > bench/out/outage-$name.txt & local W=$!
  while kill -0 $W 2>/dev/null; do
    probes=$((probes + 1)); curl -sf -o /dev/null localhost:14000/health/readiness && ready=$((ready + 1)); sleep 1
  done
  wait $W
  out=bench/out/outage-$name.txt
  RPS[$name]=$(awk '/Requests\/sec/ {print $2}' $out)
  NON2XX[$name]=$(awk '/Non-2xx/ {print $5}' $out); NON2XX[$name]=${NON2XX[$name]:-0}
  answered=$((answered + $(count $out)))
  READY[$name]="$ready/$probes"
}
phase up
pg -m immediate stop
phase down
pg -w start
phase back
# the spill file is replayed once the database answers; then the ledger stops growing
previous=-1
for i in $(seq 1 120); do
  sleep 1
  pending=$(curl -s -H "Authorization: Bearer sk-tg-bench-admin-0001" localhost:14000/metrics | awk '/^tollgate_ledger_spill_pending / {print int($2)}')
  rows=$(psql -h 127.0.0.1 -p $PORT -U postgres -d tollgate_outage -tAc "SELECT COUNT(*) FROM ledger WHERE status = 200")
  [ "${pending:-1}" = 0 ] && [ "$rows" = "$previous" ] && break
  previous=$rows
done
section=$(mktemp)
{
  echo "### $(date -u +%Y-%m-%d) outage.sh: PostgreSQL crashed under load (PHASE=${PHASE}s, CONNS=$CONNS, $(nproc) cores)"
  echo
  echo "| phase | requests/s | non-2xx | readiness probes answered 200 |"
  echo "|---|---|---|---|"
  for p in up down back; do echo "| database $p | ${RPS[$p]} | ${NON2XX[$p]} | ${READY[$p]} |"; done
  echo
  echo "Requests/s while down: $(awk "BEGIN{printf \"%.2f\", ${RPS[down]} / ${RPS[up]}}")x of up. Ledger after the replay: $rows rows with status 200 for $answered responses 200 that wrk counted (wrk does not count the requests in flight when a run stops, at most $CONNS per run, 4 runs; the ledger does); spill rows pending: ${pending:-?}."
  echo
} > "$section"
cat "$section"
append_results outage "$section"
