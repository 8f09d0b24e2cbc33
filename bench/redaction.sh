#!/usr/bin/env bash
# CPU cost of content redaction per KB (bench/RedactionCost.java): plain and non-ASCII prose, text with secrets, a
# base64 blob, whole OpenAI answers. Redaction runs on the content log's background thread, never on the request
# path; this says how much CPU a key with the redacted policy costs per KB it sends and gets. ~1 minute. Not a test.
#   bench/redaction.sh            (SECONDS_PER_ROUND=2; APPEND=1 to add a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
mkdir -p bench/out
{
  echo "## Content redaction — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/RedactionCost.java: JsonRedaction.redactText over each input for ${SECONDS_PER_ROUND:-2} s after a warm-up round, 5 rounds; the thread's own CPU time per 1,024 characters. $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  "$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" bench/RedactionCost.java "${SECONDS_PER_ROUND:-2}"
  echo
} | tee bench/out/redaction.md
[ "${APPEND:-0}" = 1 ] && append_results redaction bench/out/redaction.md || true
