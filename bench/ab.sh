#!/usr/bin/env bash
# Two gateway jars side by side on the same host, in alternating rounds, so that a change's cost is a ratio measured
# under the same conditions rather than two runs an hour apart. Both run bench/bench.yaml (every stage on, each its
# own ledger database) with the benchmarks' JVM flags. Appends a section to bench/RESULTS.md. ~6 minutes. Not a test.
#   bench/ab.sh BEFORE.jar AFTER.jar        (ROUNDS=5 DURATION=8 WARMUP=30 by default, in seconds)
#   MODE=stream bench/ab.sh BEFORE.jar AFTER.jar
# MODE=stream measures time to first token instead (bench/StreamLoad.java, as streams.sh): both gateways on
# bench/stream-gateway.yaml against nginx's canned 22-chunk stream, STREAM_WARMUP (100,000) unmeasured streams each,
# then per round STREAMS_MEASURED (20,000) streams one at a time and as many four at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: bench/ab.sh BEFORE.jar AFTER.jar" >&2; exit 2; }
JARS=("$(realpath "$1")" "$(realpath "$2")")
LABELS=("before: ${AB_BEFORE:-$1}" "after: ${AB_AFTER:-$2}")
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-30}
MODE=${MODE:-chat}
STREAM_WARMUP=${STREAM_WARMUP:-100000}
STREAMS_MEASURED=${STREAMS_MEASURED:-20000}
CONFIG=bench/bench.yaml; [ "$MODE" = stream ] && CONFIG=bench/stream-gateway.yaml
. bench/lib.sh
bench_prepare
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
PORTS=(14000 14001)
PIDS=()
cleanup() { kill "${PIDS[@]}" "${NGX:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
start_nginx
LEDGERS=()
for i in 0 1; do
  # one ledger each: a fresh PostgreSQL database when one answers, else a SQLite file
  db=tollgate_ab_$i
  rm -rf "/tmp/$db.db"* "/tmp/$db-spill"
  url=jdbc:sqlite:/tmp/$db.db user=""
  if fresh_postgres_database "$db"; then
    url=jdbc:postgresql://127.0.0.1:5432/$db user=postgres
  fi
  LEDGERS+=("${url%%:/*}")
  # the stream config's SQLite file becomes this gateway's own database
  sed -e "s/port: 14000/port: ${PORTS[$i]}/" -e "s|/tmp/tollgate-bench-spill|/tmp/$db-spill|" \
      -e "s|jdbc:sqlite:/tmp/tollgate-bench.db|$url|" "$CONFIG" > "bench/out/ab-$i.yaml"
  BENCH_DATABASE_URL=$url BENCH_DATABASE_USER=$user STREAM_UPSTREAM=http://127.0.0.1:18080/sse/v1 "$JAVA_HOME/bin/java" \
    -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders -jar "${JARS[$i]}" --config "bench/out/ab-$i.yaml" \
    > "bench/out/ab-$i.log" 2>&1 & PIDS+=($!)
done
stream_load() { # port streams concurrency warmup -> "n ok failed ttft_p50 ttft_p99 rss"
  "$JAVA_HOME/bin/java" bench/StreamLoad.java "http://127.0.0.1:$1/v1/chat/completions" sk-tg-bench-key-000001 "$2" "$3" 0 "$4"
}
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 120); do curl -sf "localhost:$port/health/readiness" >/dev/null && break; sleep 0.5; done
  if [ "$MODE" = stream ]; then
    stream_load "$port" 1 4 "$STREAM_WARMUP" >/dev/null
  else
    wrk -t2 -c32 -d${WARMUP}s -s bench/chat.lua "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
  fi
done

# one round for one gateway: "rps cpu_us_per_request p50 p99" (32 connections, then each request's own at 1)
round() {
  local port=$1 pid=$2 t0 t1 out n rps own
  t0=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c32 -d${DURATION}s -s bench/chat.lua "http://127.0.0.1:$port/v1/chat/completions")
  t1=$(cpu_ticks "$pid")
  n=$(awk '/requests in/ {print $1}' <<< "$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  own=$(wrk -t1 -c1 -d${DURATION}s -s bench/chat-timed.lua "http://127.0.0.1:$port/v1/chat/completions" | awk '/per-request/ {print $3, $7}')
  echo "$rps $(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / n )) $own"
}
# MODE=stream: "ttft_p50_1 ttft_p99_1 ttft_p50_4 ttft_p99_4" (µs), or "failed" when a stream failed
stream_round() {
  local port=$1 one four
  read -r _ _ f1 p50_1 p99_1 _ <<< "$(stream_load "$port" "$STREAMS_MEASURED" 1 0)"
  read -r _ _ f4 p50_4 p99_4 _ <<< "$(stream_load "$port" "$STREAMS_MEASURED" 4 0)"
  [ "$f1" = 0 ] && [ "$f4" = 0 ] || { echo "AB: streams failed on port $port ($f1, $f4)" >&2; exit 1; }
  echo "$p50_1 $p99_1 $p50_4 $p99_4"
}
[ "$MODE" = stream ] && round() { stream_round "$1"; }
declare -A ROWS
for r in $(seq 1 "$ROUNDS"); do
  # the order alternates too, so that neither jar always runs right after the other's load
  order=(0 1); [ $((r % 2)) = 0 ] && order=(1 0)
  for i in "${order[@]}"; do ROWS[$i]+="$(round "${PORTS[$i]}" "${PIDS[$i]}")"$'\n'; done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b / a}'; }
CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)
if [ "$MODE" = stream ]; then
  WHAT="time to first token, bench/StreamLoad.java against nginx's canned 22-chunk stream (bench/stream-gateway.yaml; ledgers ${LEDGERS[0]}, ${LEDGERS[1]}), $STREAM_WARMUP unmeasured streams each, then $ROUNDS rounds alternating which goes first, each $STREAMS_MEASURED streams one at a time and as many four at a time; medians of the rounds"
  HEAD_ROW="| | TTFT p50, 1 at a time (µs) | TTFT p99, 1 at a time (µs) | TTFT p50, 4 at a time (µs) | TTFT p99, 4 at a time (µs) |"
  ROUND_FIELDS="TTFT p50 and p99 one at a time, then four at a time"
else
  WHAT="both gateways on bench/bench.yaml (every stage on; ledgers ${LEDGERS[0]}, ${LEDGERS[1]}), upstream nginx, $WARMUP s warm-up each, then $ROUNDS rounds alternating which goes first, each $DURATION s at 32 connections and $DURATION s at 1 connection; medians of the rounds. CPU per request: the gateway process's CPU over the 32-connection run divided by its requests"
  HEAD_ROW="| | requests/s, 32 connections | CPU per request (µs) | p50, 1 connection (µs) | p99, 1 connection (µs) |"
  ROUND_FIELDS="requests/s, CPU µs per request, p50, p99"
fi
{
  echo "## Side by side$([ "$MODE" = stream ] && echo ", streaming") — $(date -u +%Y-%m-%d) (${LABELS[0]}; ${LABELS[1]})"
  echo
  echo "Machine: $(nproc) cores ($CPU), load before the run $LOAD; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1). bench/ab.sh: $WHAT."
  echo
  echo "$HEAD_ROW"
  echo "|---|---|---|---|---|"
  for i in 0 1; do printf "| %s | %.0f | %s | %s | %s |\n" "${LABELS[$i]}" "$(col $i 1)" "$(col $i 2)" "$(col $i 3)" "$(col $i 4)"; done
  printf "| after / before | %s | %s | %s | %s |\n" "$(ratio "$(col 0 1)" "$(col 1 1)")" "$(ratio "$(col 0 2)" "$(col 1 2)")" \
    "$(ratio "$(col 0 3)" "$(col 1 3)")" "$(ratio "$(col 0 4)" "$(col 1 4)")"
  echo
  echo "Every round ($ROUND_FIELDS):"
  echo
  for i in 0 1; do echo "- ${LABELS[$i]}: $(awk 'NF' <<< "${ROWS[$i]}" | paste -sd';' | sed 's/;/; /g')"; done
  echo
} > bench/out/ab.md
cat bench/out/ab.md
append_results ab bench/out/ab.md
