#!/usr/bin/env bash
# Cost of the limit and budget stage on the hot path (admit + complete of one request), local counters and Redis.
# Usage: bench/limits.sh [redis-url] [iterations]   (default redis://127.0.0.1:6379, 50000)
# Needs a JDK >= 21 and Maven; Redis cases are skipped when Redis is not reachable. Record results in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o test-compile -pl api,gateway -am >/dev/null
./mvnw -B -q -o dependency:build-classpath -pl gateway -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CP="gateway/target/test-classes:gateway/target/classes:api/target/classes:$(cat gateway/target/bench.classpath)"
exec java -cp "$CP" dev.tollgate.gateway.limits.LimitsBench "${1:-redis://127.0.0.1:6379}" "${2:-50000}"
