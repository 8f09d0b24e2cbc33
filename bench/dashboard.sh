#!/usr/bin/env bash
# What the spend dashboard costs on a large ledger (bench/DashboardLoad.java): ROWS ledger rows (default 1,000,000) over
# 90 days written into a fresh SQLite ledger as the gateway writes them (rows, spend buckets, daily rollups), then the
# seven admin calls the page makes per period, at once, for 7, 30 and 90 days. Filling 1M rows takes 10-30 minutes on
# 2 cores. Not a test.
#   bench/dashboard.sh            (ROWS=1000000; APPEND=1 to add a section to bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
mkdir -p bench/out
{
  echo "## Spend dashboard on a large ledger — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/DashboardLoad.java, SQLite, ${ROWS:-1000000} rows. $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
  echo
  "$JAVA_HOME/bin/java" -Xmx1g -cp "$JAR" bench/DashboardLoad.java "${ROWS:-1000000}" 2>/dev/null | grep -E "^(\||Filled)"
  echo
} | tee bench/out/dashboard.md
[ "${APPEND:-0}" = 1 ] && append_results dashboard bench/out/dashboard.md || true
