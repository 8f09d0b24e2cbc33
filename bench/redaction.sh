#!/usr/bin/env bash
# CPU cost of content redaction per KB (bench/RedactionCost.java): plain and non-ASCII prose, text with secrets, a
# base64 blob, whole OpenAI answers. Redaction runs on the content log's background thread, never on the request
# path; this says how much CPU a redacted-policy key costs per KB it sends and gets. ~1 minute. Not a test.
#   bench/redaction.sh [seconds per round, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
"$JAVA_HOME/bin/java" -XX:+UseParallelGC -cp "$JAR" bench/RedactionCost.java "${1:-2}"
