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
  "$JAVA" -Xms256m -Xmx${GATEWAY_HEAP:-256m} -XX:+UseParallelGC -jar "$JAR" --config bench/stream-gateway.yaml > bench/out/gateway.log 2>&1 & GW=$!
  for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && curl -sf localhost:14100/health/readiness >/dev/null && break; sleep 0.5; done
  curl -sf localhost:14100/health/readiness >/dev/null || { echo "upstream did not start:"; tail -5 bench/out/upstream.log; exit 1; }
  curl -sf localhost:14000/health/readiness >/dev/null || { echo "gateway did not start:"; tail -5 bench/out/gateway.log; exit 1; }
}

start_pair 0ms
# 2,000 streams, 4 at a time, after 2,000 unmeasured ones: direct to the upstream, then through the gateway
read -r _ d_ok _ d_p50 d_p99 _ <<< "$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14100/v1/chat/completions sk-tg-bench-upstream-01 2000 4 0 2000)"
read -r _ g_ok _ g_p50 g_p99 _ <<< "$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 2000 4 0 2000)"

start_pair 100ms
read -r n ok failed p50 p99 rss <<< "$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 "$STREAMS" "$STREAMS" "$GW" 200)"
JV=$("$JAVA" -version 2>&1 | head -1)
{
  echo "## Streaming — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $JV. Upstream: a second Tollgate with its mock provider (SSE). Gateway: -Xmx${GATEWAY_HEAP:-256m}, SQLite ledger with journal, auth, metrics."
  echo
  echo "| measure | direct | through gateway | added |"
  echo "|---|---|---|---|"
  echo "| time to first token p50 (µs), 2,000 streams, 4 concurrent, warm | $d_p50 | $g_p50 | $((g_p50 - d_p50)) |"
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
