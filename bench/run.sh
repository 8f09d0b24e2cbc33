#!/usr/bin/env bash
# Load benchmark: wrk at 1 and 32 connections, directly against a zero-delay upstream (nginx) and through the
# gateway, and writes p50/p99 latency and requests/s of both to bench/RESULTS.md. Not a test; takes ~2 minutes.
#   bench/run.sh            (DURATION=10s RUNS=3 WARMUP=30s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-30s}
. bench/lib.sh
bench_prepare
start_upstream_and_gateway

# warm up the JIT (after 10 s the C2 compiler was still busy)
wrk -t2 -c32 -d"$WARMUP" -s bench/chat.lua http://127.0.0.1:14000/v1/chat/completions >/dev/null

measure() { # url connections -> "p50_us p99_us rps non2xx wrk_p99_us" (the median run by requests/s)
  # At 1 connection p50/p99 are each request's own latency (bench/chat-timed.lua); wrk's percentiles add synthetic
  # samples for every stall (coordinated-omission correction), so its p99 is kept apart, in the last field. At 32
  # connections a wrk thread's requests interleave, so p50/p99 are wrk's own there.
  local url=$1 c=$2 t=$(( $2 < 2 ? 1 : 2 )) script=bench/chat.lua
  [ "$c" = 1 ] && script=bench/chat-timed.lua
  for r in $(seq 1 "$RUNS"); do
    wrk -t$t -c$c -d"$DURATION" --latency -s $script "$url" > bench/out/wrk.txt
    python3 - bench/out/wrk.txt <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def us(v):
    n, unit = re.match(r"([\d.]+)(us|ms|s)", v).groups()
    return float(n) * {"us": 1, "ms": 1000, "s": 1e6}[unit]
p50 = us(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = us(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
own = re.search(r"per-request p50 (\d+) p90 \d+ p99 (\d+)", text)
if own:
    print(own.group(1), own.group(2), rps, errors.group(1) if errors else 0, round(p99))
else:
    print(p50, p99, rps, errors.group(1) if errors else 0, round(p99))
PY
  done | sort -k3 -n | awk -v n="$RUNS" 'NR==int((n+1)/2)'
}

declare -A R
for c in 1 32; do
  R[direct_$c]=$(measure http://127.0.0.1:18080/v1/chat/completions $c)
  R[gateway_$c]=$(measure http://127.0.0.1:14000/v1/chat/completions $c)
done

ROWS=$(curl -s "localhost:14000/admin/spend?groupBy=key&from=2000-01-01" -H "Authorization: Bearer sk-tg-bench-admin-0001" | python3 -c 'import json,sys; print(sum(r["requests"] for r in json.load(sys.stdin)["data"]))' || echo "?")
CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)
JV=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)
{
  echo "## Gateway overhead — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))${BENCH_JOURNAL:+, journal $BENCH_JOURNAL}"
  echo
  echo "Machine: $(nproc) cores ($CPU), $(free -g | awk '/Mem/ {print $2}') GiB; $JV; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'); upstream nginx (canned body, zero delay)."
  echo "Gateway: standalone jar (-Xmx512m, ParallelGC, compact object headers), every stage on: auth, key + team limits and budgets, $LEDGER ledger with the crash journal ${BENCH_JOURNAL:-true}, metrics. $WARMUP warm-up, then $RUNS runs of $DURATION each, median run (by requests/s) shown. Requests recorded in the ledger during the run: $ROWS."
  echo "At 1 connection, p50 and p99 are each request's own latency, timed by bench/chat-timed.lua; wrk's own p99 is shown apart because wrk corrects for coordinated omission (every stall adds synthetic samples as if requests had kept coming at the mean rate). At 32 connections all figures are wrk's."
  echo
  overhead_table
  echo
} > bench/out/latest.md
cat bench/out/latest.md
append_results overhead bench/out/latest.md
