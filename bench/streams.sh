#!/usr/bin/env bash
# Streaming benchmark: (1) added time to first token — 200 sequential-ish streams direct to a streaming upstream
# (a Tollgate instance with its mock provider) and through the gateway; (2) STREAMS (default 5000) concurrent open
# streams through the gateway (chunk delay 100 ms x 20 words = 2 s each), with the gateway's peak RSS.
# Appends a section to bench/RESULTS.md. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
STREAMS=${STREAMS:-5000}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package -pl gateway -am
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p bench/out
cleanup() { kill "${UP:-}" "${GW:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
start_pair() { # chunk delay
  cleanup
  rm -rf /tmp/tollgate-bench*.db*
  CHUNK_DELAY=$1 "$JAVA" -Xmx1g -jar "$JAR" --config bench/stream-upstream.yaml > bench/out/upstream.log 2>&1 & UP=$!
  "$JAVA" -Xms256m -Xmx512m -XX:+UseParallelGC -jar "$JAR" --config bench/stream-gateway.yaml > bench/out/gateway.log 2>&1 & GW=$!
  for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && curl -sf localhost:14100/health/readiness >/dev/null && break; sleep 0.5; done
}
median_ttft() { # url key concurrency runs
  for r in $(seq 1 "$4"); do "$JAVA" bench/StreamLoad.java "$1" "$2" "$3" 0; done | sort -k5 -n | awk -v n="$4" 'NR==int((n+1)/2)'
}

start_pair 0ms
"$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 2000 0 > /dev/null # warm-up
read -r _ d_ok _ d_p50 d_p99 _ <<< "$(median_ttft http://127.0.0.1:14100/v1/chat/completions sk-tg-bench-upstream-01 8 3)"
read -r _ g_ok _ g_p50 g_p99 _ <<< "$(median_ttft http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 8 3)"

start_pair 100ms
"$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 200 0 > /dev/null # warm-up
read -r n ok failed p50 p99 rss <<< "$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 "$STREAMS" "$GW")"
JV=$("$JAVA" -version 2>&1 | head -1)
{
  echo "## Streaming — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $JV. Upstream: a second Tollgate with its mock provider (SSE). Gateway: -Xmx512m, SQLite ledger, all stages on."
  echo
  echo "| measure | direct | through gateway | added |"
  echo "|---|---|---|---|"
  echo "| time to first token p50 (µs), 8 concurrent streams x 3 runs | $d_p50 | $g_p50 | $((g_p50 - d_p50)) |"
  echo "| time to first token p99 (µs) | $d_p99 | $g_p99 | $((g_p99 - d_p99)) |"
  echo
  echo "$n concurrent streams (2 s each): $ok completed, $failed failed; time to first token p50 ${p50} µs, p99 ${p99} µs; gateway peak RSS **${rss} MiB**."
  echo
} > bench/out/streams.md
cat bench/out/streams.md
python3 - <<'PY'
path = "bench/RESULTS.md"
text = open(path).read()
marker = "<!-- streams -->"
if marker not in text:
    text += "\n" + marker + "\n"
text = text.replace(marker, marker + "\n" + open("bench/out/streams.md").read(), 1)
open(path, "w").write(text)
PY
