#!/usr/bin/env bash
# CPU cost of /v1/responses on a translated backend (bench/ResponsesCost.java): parsing and translating the request,
# and translating the whole answer back, per request, beside chat's own parse of the equivalent chat body. ~1 minute.
# Not a test.
#   bench/responses.sh            (SECONDS_PER_ROUND=2; APPEND=1 to add a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
mkdir -p bench/out
{
  echo "## /v1/responses translation — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/ResponsesCost.java: each case for ${SECONDS_PER_ROUND:-2} s after a warm-up round, 5 rounds; the thread's own CPU time per request. $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" bench/ResponsesCost.java "${SECONDS_PER_ROUND:-2}"
  echo
} | tee bench/out/responses.md
[ "${APPEND:-0}" = 1 ] && append_results responses bench/out/responses.md || true
