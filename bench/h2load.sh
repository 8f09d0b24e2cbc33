#!/usr/bin/env bash
# Cross-check of bench/run.sh with a second client: nghttp2's h2load over HTTP/1.1 (--h1), 1 and 32 connections,
# directly against the zero-delay nginx upstream and through the gateway (every stage on, as in run.sh). h2load
# prints no percentiles, so p50/p99 come from its per-request log (--log-file). Prints a table; appends it to
# bench/RESULTS.md when APPEND=1. Not a test.
#   bench/h2load.sh            (DURATION=10 seconds, WARMUP=10 seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
for tool in h2load nginx; do
  command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client nginx-light >/dev/null; }
done
JAR=${JAR:-gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar}
[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package -pl gateway -am
mkdir -p bench/out
. bench/lib.sh
cleanup() { kill "${GW:-}" "${NGX:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
start_nginx
choose_ledger
"$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders ${GATEWAY_OPTS:-} -jar "$JAR" --config bench/bench.yaml > bench/out/gateway.log 2>&1 & GW=$!
for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
printf '%s' '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' > bench/out/chat.json

measure() { # url connections -> "p50_us p99_us rps non2xx"
  # a separate warm-up run: with --warm-up-time, h2load 1.52's per-request log disagreed with its own request rate
  local args=(--h1 -c"$2" -t1 -d bench/out/chat.json -H 'content-type: application/json' -H 'authorization: Bearer sk-tg-bench-key-000001')
  h2load "${args[@]}" -D "$WARMUP" "$1" > /dev/null
  rm -f bench/out/h2load.log
  h2load "${args[@]}" -D "$DURATION" --log-file=bench/out/h2load.log "$1" > bench/out/h2load.txt
  python3 - <<'PY'
import re  # h2load logs only the measured requests, not the warm-up's
rows = [l.split("\t") for l in open("bench/out/h2load.log") if l.strip()]
us = sorted(int(r[2]) for r in rows)
bad = sum(1 for r in rows if not r[1].startswith("2"))
pick = lambda q: us[min(len(us) - 1, int(len(us) * q))]
rps = re.search(r"finished in [^,]+, ([\d.]+) req/s", open("bench/out/h2load.txt").read()).group(1)
print(pick(0.50), pick(0.99), round(float(rps)), bad)
PY
}

declare -A R
for c in 1 32; do
  R[direct_$c]=$(measure http://127.0.0.1:18080/v1/chat/completions $c)
  R[gateway_$c]=$(measure http://127.0.0.1:14000/v1/chat/completions $c)
done
{
  echo "## Gateway overhead, h2load cross-check — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores; $(h2load --version 2>&1 | head -1); HTTP/1.1, one request in flight per connection; ${WARMUP} s warm-up then ${DURATION} s measured; gateway as in run.sh ($LEDGER ledger, every stage on)."
  echo
  overhead_table
  echo
} > bench/out/h2load.md
cat bench/out/h2load.md
if [ "${APPEND:-0}" = 1 ]; then
  append_results h2load bench/out/h2load.md
fi
