#!/usr/bin/env bash
# The floor under the gateway: bare proxies with none of the gateway's work, measured beside it on the same host,
# alternating, so that the host's speed and the gateway's own cost can be told apart. Appends a section to
# bench/RESULTS.md. ~8 minutes. Not a test.
#   bench/floor.sh          (ROUNDS=3 DURATION=8 WARMUP=30 by default, in seconds)
# Proxies (bench/floor/): Netty with native epoll, each client connection owning an upstream connection on its event
# loop; Jetty 12 handling on the selector (no thread hand-off); Jetty 12 with a virtual thread per request waiting for
# the upstream (the gateway's threading); the same behind Javalin's servlet (the gateway's serving). All use the
# gateway's JVM flags and its Jetty client settings; the gateway runs with every stage on (bench/bench.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-30}
. bench/lib.sh
bench_prepare
JAVA="$JAVA_HOME/bin/java"
[ -d bench/out/netty ] || ./mvnw -B -q -f bench/floor/pom.xml dependency:copy-dependencies -DoutputDirectory="$PWD/bench/out/netty"
start_upstream_and_gateway
PIDS=("$GW")
cleanup() { kill "${PIDS[@]}" "${NGX:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
UP=http://127.0.0.1:18080/v1/chat/completions
# the gateway's flags (lib.sh), and native access for Netty's epoll library
FLAGS=(-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED)
"$JAVA" "${FLAGS[@]}" -cp "bench/out/netty/*" bench/floor/NettyFloor.java 14101 $UP > bench/out/floor-netty.log 2>&1 & PIDS+=($!)
"$JAVA" "${FLAGS[@]}" -cp $JAR bench/floor/JettyFloor.java event 14102 $UP > bench/out/floor-event.log 2>&1 & PIDS+=($!)
"$JAVA" "${FLAGS[@]}" -cp $JAR bench/floor/JettyFloor.java virtual 14103 $UP > bench/out/floor-virtual.log 2>&1 & PIDS+=($!)
"$JAVA" "${FLAGS[@]}" -cp $JAR bench/floor/JettyFloor.java javalin 14104 $UP > bench/out/floor-javalin.log 2>&1 & PIDS+=($!)
NAMES=(gateway netty jetty-event jetty-virtual javalin-virtual)
PORTS=(14000 14101 14102 14103 14104)
for port in "${PORTS[@]}"; do
  for i in $(seq 1 120); do
    curl -sf -o /dev/null -XPOST -H 'Authorization: Bearer sk-tg-bench-key-000001' -H 'Content-Type: application/json' \
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' "http://127.0.0.1:$port/v1/chat/completions" && break
    sleep 0.5
  done
done
for port in "${PORTS[@]}"; do wrk -t2 -c32 -d${WARMUP}s -s bench/chat.lua "http://127.0.0.1:$port/v1/chat/completions" >/dev/null; done

# one round for one target: "rps cpu_us_per_request p50 p99" (32 connections, then 1 connection)
round() {
  local url=$1 pid=${2:-} t0 t1 out n rps cpu="-" own
  [ -n "$pid" ] && t0=$(cpu_ticks "$pid")
  out=$(wrk -t2 -c32 -d${DURATION}s -s bench/chat.lua "$url")
  [ -n "$pid" ] && t1=$(cpu_ticks "$pid")
  n=$(awk '/requests in/ {print $1}' <<< "$out"); rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  [ -n "$pid" ] && cpu=$(( (t1 - t0) * 1000000 / $(getconf CLK_TCK) / n ))
  own=$(wrk -t1 -c1 -d${DURATION}s -s bench/chat-timed.lua "$url" | awk '/per-request/ {print $3, $7}')
  echo "$rps $cpu $own"
}
declare -A ROWS
for r in $(seq 1 "$ROUNDS"); do
  ROWS[direct]+="$(round $UP)"$'\n'
  for i in "${!NAMES[@]}"; do
    ROWS[${NAMES[$i]}]+="$(round "http://127.0.0.1:${PORTS[$i]}/v1/chat/completions" "${PIDS[$i]}")"$'\n'
  done
done
DP50=$(col direct 3)
CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs)
HV=$(dmesg 2>/dev/null | grep -o "Hypervisor detected: [A-Za-z]*" | head -1 || true)
{
  echo "## The floor under the gateway — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "Machine: $(nproc) cores ($CPU${HV:+, $HV}), $(free -g | awk '/Mem/ {print $2}') GiB; $("$JAVA" -version 2>&1 | head -1). Bare proxies (bench/floor/) and the gateway (every stage on, $LEDGER ledger), all with the gateway's JVM flags, upstream nginx. $WARMUP s warm-up each, then $ROUNDS alternating rounds of $DURATION s at 32 connections and $DURATION s at 1 connection; medians of the rounds. CPU per request: the process's CPU time over the 32-connection run divided by its requests."
  echo
  echo "| target | requests/s, 32 connections | CPU per request (µs) | p50, 1 connection (µs) | added p50 (µs) | p99, 1 connection (µs) |"
  echo "|---|---|---|---|---|---|"
  for t in direct "${NAMES[@]}"; do
    p50=$(col "$t" 3)
    printf "| %s | %.0f | %s | %s | %s | %s |\n" "$t" "$(col "$t" 1)" "$(col "$t" 2)" "$p50" "$([ "$t" = direct ] && echo - || echo $((p50 - DP50)))" "$(col "$t" 4)"
  done
  echo
  echo "Every round (requests/s, CPU µs per request, p50, p99):"
  echo
  for t in direct "${NAMES[@]}"; do echo "- $t: $(awk 'NF' <<< "${ROWS[$t]}" | paste -sd';' | sed 's/;/; /g')"; done
  echo
} > bench/out/floor.md
cat bench/out/floor.md
append_results floor bench/out/floor.md
