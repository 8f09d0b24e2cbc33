#!/usr/bin/env bash
# Slow-header flood (issue 24): SLOW (default 15000) connections dripping a request head at one byte per second from
# 127.0.0.2-9 (bench/Slowloris.java, reopened as soon as the gateway closes them) against a gateway limited to
# GATEWAY_NOFILE (default 8192) open files, while real clients call POST /v1/chat/completions: wrk on 32 keep-alive
# connections opened before the flood, and a new connection every 0.2 s (curl, 5 s timeout). Run twice: with the
# defences off (head deadline 1h, no connection limit: the behaviour before issue 24) and with the defaults (head
# deadline 10s, maxConnections three quarters of the open-file limit). Counts every real request that failed.
# Appends a section to bench/RESULTS.md. Not a test; takes about FLOOD x 2 + 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
[ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
PORT=${PORT:-14000}
SLOW=${SLOW:-15000}
FLOOD=${FLOOD:-60}
GATEWAY_NOFILE=${GATEWAY_NOFILE:-8192}
mkdir -p bench/out
ulimit -n "$(ulimit -Hn)"
cleanup() { kill "${GW:-}" "${LORIS:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

run() { # name, security block -> one table row
  local name=$1 security=$2 slug=${1// /-}
  cleanup
  rm -rf /tmp/tollgate-slowloris*
  cat > bench/out/slowloris.yaml <<YAML
gateway:
  port: $PORT
  host: 127.0.0.1
  adminKey: sk-tg-slowloris-admin-01
  database: { url: "jdbc:sqlite:/tmp/tollgate-slowloris.db" }
  ledger: { spillDirectory: /tmp/tollgate-slowloris-spill }
  security: $security
routes:
  - model: gpt-4o-mini
    backends: [ { name: mock, provider: mock, model: mock-1 } ]
keys:
  - { name: bench, key: sk-tg-bench-key-000001 }
YAML
  (ulimit -n "$GATEWAY_NOFILE"; exec "$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC -jar "$JAR" --config bench/out/slowloris.yaml) \
    > bench/out/slowloris-gateway-$slug.log 2>&1 & GW=$!
  for i in $(seq 1 60); do curl -sf localhost:$PORT/health/readiness >/dev/null && break; sleep 0.5; done
  wrk -t2 -c32 -d10s -s bench/chat.lua http://127.0.0.1:$PORT/v1/chat/completions >/dev/null # warm-up

  "$JAVA" bench/Slowloris.java $PORT "$SLOW" "$((FLOOD + 10))" 8 2000 > bench/out/slowloris-flood-$slug.txt 2>&1 & LORIS=$!
  sleep 10 # the flood ramps up (2,000 new connections a second)
  wrk -t2 -c32 -d"${FLOOD}s" --timeout 5s -s bench/chat.lua http://127.0.0.1:$PORT/v1/chat/completions > bench/out/slowloris-wrk-$slug.txt &
  local wrk=$! ok=0 failed=0 end=$((SECONDS + FLOOD))
  while [ $SECONDS -lt $end ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-tg-bench-key-000001' \
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' http://127.0.0.1:$PORT/v1/chat/completions || true)
    if [ "$code" = 200 ]; then ok=$((ok + 1)); else failed=$((failed + 1)); echo "$code" >> bench/out/slowloris-curl-$slug.txt; fi
    sleep 0.2
  done
  wait $wrk
  wait $LORIS || true
  local refused
  refused=$(curl -s -H "Authorization: Bearer sk-tg-slowloris-admin-01" localhost:$PORT/metrics | python3 -c '
import re, sys
t = sys.stdin.read()
def v(pat):
    return sum(float(m) for m in re.findall(r"^" + pat + r" (\S+)$", t, re.M))
print("%d %d %d" % (v(r"tollgate_connections_closed_total\{reason=\"header_timeout\"\}"), v(r"tollgate_connections_refused_total\{[^}]*\}"), v(r"tollgate_connections_closed_total\{reason=\"overload_idle\"\}")))' || echo "- - -")
  python3 - "$name" bench/out/slowloris-wrk-$slug.txt bench/out/slowloris-flood-$slug.txt "$ok" "$failed" "$refused" >> bench/out/slowloris-rows.md <<'PY'
import re, sys
name, wrk, flood, ok, failed, refused = sys.argv[1:]
w = open(wrk).read()
total = int(re.search(r"(\d+) requests in", w).group(1))
non2xx = int(re.search(r"Non-2xx or 3xx responses: (\d+)", w).group(1)) if "Non-2xx" in w else 0
errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", w)
errors = sum(int(x) for x in errs.groups()) if errs else 0
f = [l for l in open(flood).read().splitlines() if l.startswith("RESULT")]
fl = dict(kv.split("=") for kv in f[-1].split()[1:]) if f else {}
timeouts, refused_n, shed = refused.split()
print(f"| {name} | {fl.get('max_open','?')} | {fl.get('opened','?')} | {fl.get('closed_by_server','?')} | {timeouts} / {refused_n} / {shed} "
      f"| {total} | {non2xx + errors} | {int(ok) + int(failed)} | {failed} |")
PY
  cleanup
}

rm -f bench/out/slowloris-rows.md bench/out/slowloris-curl-*.txt
run "defences off" "{ headerTimeout: 1h, maxConnections: 10000000 }"
run "defaults" "{}"

{
  echo "## Slow-header flood — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "bench/slowloris.sh: $SLOW connections dripping a request head at 1 byte/s from 8 source addresses (reopened when"
  echo "closed, up to 2,000 new a second), gateway open-file limit $GATEWAY_NOFILE, ${FLOOD} s of real load during the flood: wrk"
  echo "(32 keep-alive connections, 5 s timeout) and a new curl connection every 0.2 s. $(nproc) cores, shared."
  echo
  echo "| gateway | slow conns open at once (max) | slow conns opened | closed/refused by gateway | header timeouts / refused 503+429 / idle shed | wrk requests | wrk failed | new-connection requests | new-connection failed |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat bench/out/slowloris-rows.md
  echo
} > bench/out/slowloris-section.md
append_results slowloris bench/out/slowloris-section.md
cat bench/out/slowloris-section.md
