#!/usr/bin/env bash
# Memory soak: SOAK (default 600 s) of steady load (wrk, 8 connections) through the gateway to the nginx zero-delay
# upstream; samples the gateway's RSS every 10 s and reports RSS after warm-up, at the end, and the growth.
# Native memory tracking (NMT) summaries after warm-up and at the end go to bench/out/soak-nmt-{warm,end}.txt, so
# growth can be attributed (heap, metaspace, code cache, threads, direct buffers, malloc).
#   bench/soak.sh     (GATEWAY_HEAP=128m GATEWAY_OPTS="-XX:+AlwaysPreTouch" MALLOC_ARENA_MAX=2 NMT=0 by default)
# The defaults are a pod's memory settings (GatewayContainer: a fixed, pre-touched heap, two malloc arenas) and the
# ones issue 8's RSS figures were measured with. NMT=1 runs with native memory tracking and writes the summaries; the
# tracking itself takes memory (its header on every malloc), so RSS then reads higher than in production.
# Appends a section to bench/RESULTS.md. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY_HEAP=${GATEWAY_HEAP:-128m}
GATEWAY_OPTS=${GATEWAY_OPTS--XX:+AlwaysPreTouch}
NMT=${NMT:-0}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
SOAK=${SOAK:-600}
. bench/lib.sh
bench_prepare
cleanup() { kill "${GW:-}" "${NGX:-}" "${WRK:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
start_nginx
rm -rf /tmp/tollgate-bench.db*
"$JAVA_HOME/bin/java" -Xms$GATEWAY_HEAP -Xmx$GATEWAY_HEAP -XX:+UseParallelGC -XX:+UseCompactObjectHeaders $([ "$NMT" = 1 ] && echo -XX:NativeMemoryTracking=summary) ${GATEWAY_OPTS:-} -jar "$JAR" --config bench/bench.yaml > bench/out/gateway.log 2>&1 & GW=$!
for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$GW/status; }
wrk -t2 -c8 -d"$((SOAK + 15))s" -s bench/chat.lua http://127.0.0.1:14000/v1/chat/completions > bench/out/soak-wrk.txt & WRK=$!
: > bench/out/soak-rss.txt
nmt() { [ "$NMT" = 1 ] || return 0; "$JAVA_HOME/bin/jcmd" "$GW" VM.native_memory summary > "bench/out/soak-nmt-$1.txt" 2>&1 || true; }
for t in $(seq 10 10 "$SOAK"); do
  sleep 10; echo "$t $(rss)" >> bench/out/soak-rss.txt
  [ "$t" = 60 ] && nmt warm
done
nmt end
wait $WRK || true
WARM=$(awk '$1==60 {print $2}' bench/out/soak-rss.txt)
END=$(tail -1 bench/out/soak-rss.txt | awk '{print $2}')
MAX=$(awk 'BEGIN{m=0} $2>m {m=$2} END{print m}' bench/out/soak-rss.txt)
RPS=$(awk '/Requests\/sec/ {print int($2)}' bench/out/soak-wrk.txt)
GROWTH=$(awk -v a="$WARM" -v b="$END" 'BEGIN{printf "%.1f", (b-a)*100/a}')
{
  echo "## Memory soak — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "$SOAK s at 8 connections (${RPS} requests/s) through the gateway (-Xmx$GATEWAY_HEAP, ParallelGC, compact object headers${GATEWAY_OPTS:+, $GATEWAY_OPTS}${MALLOC_ARENA_MAX:+, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX}, SQLite ledger, journal, limits and budgets on, native memory tracking $([ "$NMT" = 1 ] && echo on || echo off)). RSS after 60 s warm-up: **${WARM} MiB**; at the end: **${END} MiB** (growth ${GROWTH} %); peak ${MAX} MiB. Samples every 10 s: bench/out/soak-rss.txt."
  echo
} > bench/out/soak.md
cat bench/out/soak.md
append_results soak bench/out/soak.md
