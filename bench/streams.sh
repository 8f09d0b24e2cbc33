#!/usr/bin/env bash
# Streaming benchmark: (1) added time to first token: MEASURED (default 40,000) streams after WARMUP (default
# 100,000) unmeasured ones, so that the JIT has finished (with 2,000, C2 still took a third of the CPU), 1 and 4 at a time,
# direct to a zero-delay streaming upstream (nginx sending a canned 22-chunk SSE answer) and through the gateway;
# (2) STREAMS (default 5000) concurrent open streams through the gateway to a slow upstream (a second Tollgate with
# its mock provider, chunk delay 1.5 s x 20 words = 30 s each, long enough that every stream is open upstream at
# once: with 2 s streams the gateway never held more than ~2,400 together), with the gateway's peak RSS and the
# peak number of upstream connections open at once. The gateway runs with the pod's JVM settings (GatewayContainer).
# Appends a section to bench/RESULTS.md. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_prepare
JAVA="$JAVA_HOME/bin/java"
STREAMS=${STREAMS:-5000}
WARMUP=${WARMUP:-100000}
MEASURED=${MEASURED:-40000}
HEAP=${GATEWAY_HEAP:-256m}
JVM_OPTS="-XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:+UseCompactObjectHeaders${GATEWAY_OPTS:+ $GATEWAY_OPTS}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cleanup() { kill "${UP:-}" "${GW:-}" "${NGX:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
start_pair() { # chunk delay
  cleanup
  rm -rf /tmp/tollgate-bench*.db*
  CHUNK_DELAY=$1 "$JAVA" -Xmx1g -jar "$JAR" --config bench/stream-upstream.yaml > bench/out/upstream.log 2>&1 & UP=$!
  MALLOC_ARENA_MAX=2 "$JAVA" -Xms$HEAP -Xmx$HEAP $JVM_OPTS -jar "$JAR" --config bench/stream-gateway.yaml > bench/out/gateway.log 2>&1 & GW=$!
  for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && curl -sf localhost:14100/health/readiness >/dev/null && break; sleep 0.5; done
  curl -sf localhost:14100/health/readiness >/dev/null || { echo "upstream did not start:"; tail -5 bench/out/upstream.log; exit 1; }
  curl -sf localhost:14000/health/readiness >/dev/null || { echo "gateway did not start:"; tail -5 bench/out/gateway.log; exit 1; }
}

# (1) time to first token against nginx
start_nginx
rm -rf /tmp/tollgate-bench*.db*
STREAM_UPSTREAM=http://127.0.0.1:18080/sse/v1 MALLOC_ARENA_MAX=2 "$JAVA" -Xms$HEAP -Xmx$HEAP $JVM_OPTS -jar "$JAR" \
  --config bench/stream-gateway.yaml > bench/out/gateway.log 2>&1 & GW=$!
for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
declare -A T
for c in 1 4; do
  T[direct_$c]=$("$JAVA" bench/StreamLoad.java http://127.0.0.1:18080/sse/v1/chat/completions none "$MEASURED" $c 0 "$WARMUP")
  T[gateway_$c]=$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 "$MEASURED" $c 0 "$WARMUP")
done
kill "$NGX" "$GW" 2>/dev/null || true; wait 2>/dev/null || true; NGX=; GW=

# (2) many open streams against a slow upstream. Sockets of an earlier burst still in TIME-WAIT slow the next
# burst's connects down by seconds, so wait (at most 70 s) until they are gone.
for i in $(seq 1 70); do [ "$(ss -tan 2>/dev/null | grep -c TIME-WAIT)" -lt 1000 ] && break; sleep 1; done
start_pair 1500ms
rm -f bench/out/upstream-peak.txt
( peak=0; while kill -0 "$GW" 2>/dev/null; do
    n=$(ss -Htn state established '( sport = :14100 )' | wc -l); [ "$n" -gt "$peak" ] && peak=$n && echo "$peak" > bench/out/upstream-peak.txt
    sleep 0.5
  done ) & SAMPLER=$!
read -r n ok failed p50 p99 rss <<< "$("$JAVA" bench/StreamLoad.java http://127.0.0.1:14000/v1/chat/completions sk-tg-bench-key-000001 "$STREAMS" "$STREAMS" "$GW" 200)"
kill "$SAMPLER" 2>/dev/null || true
PEAK=$(cat bench/out/upstream-peak.txt 2>/dev/null || echo "?")
JV=$("$JAVA" -version 2>&1 | head -1)
{
  echo "## Streaming — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; $JV. Gateway: -Xmx$HEAP $JVM_OPTS, MALLOC_ARENA_MAX=2, SQLite ledger with journal, auth, metrics. Client: bench/StreamLoad.java (a plain keep-alive HTTP/1.1 socket per worker, so Content-Length and chunked answers cost it the same); time to first token = request written to first \`data:\` bytes read; $MEASURED streams measured after $WARMUP unmeasured, direct and through the gateway alike."
  echo
  echo "| streams at once | upstream | TTFT p50 direct (µs) | through gateway | added | TTFT p99 direct (µs) | through gateway | added |"
  echo "|---|---|---|---|---|---|---|---|"
  for c in 1 4; do
    read -r _ _ _ d50 d99 _ <<< "${T[direct_$c]}"; read -r _ _ _ g50 g99 _ <<< "${T[gateway_$c]}"
    echo "| $c | nginx, 22 chunks at once | $d50 | $g50 | **$((g50 - d50))** | $d99 | $g99 | **$((g99 - d99))** |"
  done
  echo
  echo "$n concurrent streams (30 s each): $ok completed, $failed failed; at most **$PEAK** open upstream at once; time to first token p50 ${p50} µs, p99 ${p99} µs (the 2-core machine opens a few hundred streams a second, with the client and the upstream on the same cores); gateway peak RSS **${rss} MiB**."
  echo
} > bench/out/streams.md
cat bench/out/streams.md
append_results streams bench/out/streams.md
