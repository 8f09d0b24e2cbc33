#!/usr/bin/env bash
# Spend reports on a large SQLite ledger (bench/SpendReportCost.java): fills a fresh ledger through LedgerStore (so the
# daily rollups are written as the gateway writes them), then times reports from the rollups against the same grouping
# over the ledger rows. ~2 minutes for a million rows. Not a test.
#   bench/spend-report.sh          (ROWS=1000000; APPEND=1 to add a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -o -q compile -pl gateway -am
./mvnw -B -o -q dependency:build-classpath -pl gateway -Dmdep.outputFile=bench/out/gateway.classpath
mkdir -p bench/out
{
  echo "## Spend reports — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/SpendReportCost.java, ${ROWS:-1000000} rows over 30 days on SQLite; median of 5 runs after a warm-up. $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  "$JAVA_HOME/bin/java" -cp "gateway/target/classes:api/target/classes:$(cat bench/out/gateway.classpath)" \
    bench/SpendReportCost.java "${ROWS:-1000000}" 2>/dev/null | grep -v '^WARNING'
  echo
} | tee bench/out/spend-report.md
[ "${APPEND:-0}" = 1 ] && append_results spend-report bench/out/spend-report.md || true
