#!/usr/bin/env bash
# CPU cost per request of tracing on the request path (bench/TracingCost.java): off, on and sampled, on and not
# sampled. ~1 minute. Not a test.
#   bench/tracing.sh            (SECONDS_PER_ROUND=2; APPEND=1 to add a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
mkdir -p bench/out
{
  echo "## Tracing on the request path — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/TracingCost.java: the tracing calls of one request (server span, one attempt span made current, traceparent into the upstream headers, status, both ended) for ${SECONDS_PER_ROUND:-2} s after a warm-up round, 5 rounds; the thread's own CPU time per request; spans exported on the calling thread to an exporter that drops them. $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" bench/TracingCost.java "${SECONDS_PER_ROUND:-2}"
  echo
} | tee bench/out/tracing.md
[ "${APPEND:-0}" = 1 ] && append_results tracing bench/out/tracing.md || true
