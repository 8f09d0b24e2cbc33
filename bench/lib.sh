# Shared by the bench scripts (sourced, not run): the tools and jar, the nginx upstream, the ledger database, and
# RESULTS.md sections.

# Sets JAVA_HOME (JDK 25 unless set) and JAR, installs wrk and nginx-light from Debian when missing, builds the
# gateway's jar when absent.
bench_prepare() {
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  JAR=gateway/target/tollgate-gateway-0.1.0-SNAPSHOT-all.jar
  for tool in wrk nginx; do
    command -v $tool >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
  done
  mkdir -p bench/out
  [ -f $JAR ] || ./mvnw -B -q -DskipTests package -pl gateway -am
}

# Starts the zero-delay nginx upstream (bench/nginx-upstream.conf) in the background; sets NGX.
start_nginx() {
  nginx -c "$PWD/bench/nginx-upstream.conf" -p "$PWD/bench/" & NGX=$!
}

# Starts the nginx upstream (NGX), picks the ledger database, starts the gateway on bench/bench.yaml with the
# benchmarks' JVM flags (GW) and waits until it is ready; both stop when the script exits.
start_upstream_and_gateway() {
  trap 'kill "${GW:-}" "${NGX:-}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
  start_nginx
  choose_ledger
  "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseParallelGC -XX:+UseCompactObjectHeaders -jar "$JAR" \
    --config bench/bench.yaml > bench/out/gateway.log 2>&1 & GW=$!
  for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
}

# Ledger to PostgreSQL when one answers on 127.0.0.1:5432 (trust auth), as in a fleet; else SQLite. A fresh
# database each run. Sets LEDGER and, for PostgreSQL, BENCH_DATABASE_URL and BENCH_DATABASE_USER (bench.yaml).
choose_ledger() {
  rm -rf /tmp/tollgate-bench.db* /tmp/tollgate-bench-spill
  if fresh_postgres_database tollgate_bench; then
    export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/tollgate_bench BENCH_DATABASE_USER=postgres
    LEDGER=PostgreSQL
  else
    LEDGER=SQLite
  fi
}

# Drops and creates PostgreSQL database $1 on 127.0.0.1:5432 (trust auth); fails when no PostgreSQL answers there.
fresh_postgres_database() {
  command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1 \
    && psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $1" >/dev/null 2>&1
}

# A process's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Rounds kept per target in the associative array ROWS (one line a round, fields by space): the median over the
# ROUNDS rounds of column $2 of target $1. median reads one column on standard input.
median() { sort -g | awk -v n="$ROUNDS" 'NR==int((n+1)/2)'; }
col() { awk -v c="$2" 'NF {print $c}' <<< "${ROWS[$1]}" | median; }

# Puts the section in file $2 at the top of the RESULTS.md section that starts with marker <!-- $1 -->.
append_results() {
  python3 - "$1" "$2" <<'PY'
import sys
path = "bench/RESULTS.md"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmark results\n\nProduced by the scripts in bench/; newest first within each section.\n\n"
marker = "<!-- " + sys.argv[1] + " -->"
if marker not in text:
    text += "\n" + marker + "\n"
text = text.replace(marker, marker + "\n" + open(sys.argv[2]).read(), 1)
open(path, "w").write(text)
PY
}

# Prints the overhead table from the global associative array R: keys direct_1, gateway_1, direct_32, gateway_32;
# values "p50_us p99_us requests_per_s non_2xx [corrected_p99_us]". The optional last field is wrk's own p99, which
# wrk corrects for coordinated omission (see bench/chat-timed.lua); the column shows only when some row has it.
overhead_table() {
  local corrected=""
  for v in "${R[@]}"; do read -r _ _ _ _ co <<< "$v"; [ -n "$co" ] && corrected=1; done
  echo "| connections | target | p50 (µs) | p99 (µs) |${corrected:+ p99 as wrk reports it, coordinated-omission corrected (µs) |} requests/s | non-2xx |"
  echo "|---|---|---|---|${corrected:+---|}---|---|"
  for c in 1 32; do
    for t in direct gateway; do
      read -r p50 p99 rps err co <<< "${R[${t}_$c]}"
      printf "| %s | %s | %.0f | %.0f |%s %.0f | %s |\n" "$c" "$t" "$p50" "$p99" "${corrected:+ ${co:--} |}" "$rps" "$err"
    done
    read -r dp50 dp99 drps _ dco <<< "${R[direct_$c]}"; read -r gp50 gp99 grps _ gco <<< "${R[gateway_$c]}"
    local added_co=""
    [ -n "$corrected" ] && added_co=" $( [ -n "$dco" ] && [ -n "$gco" ] && awk "BEGIN{printf \"%.0f\", $gco - $dco}" || echo -) |"
    printf "| %s | **added by gateway** | **%.0f** | **%.0f** |%s %.2fx of direct |  |\n" "$c" "$(awk "BEGIN{print $gp50 - $dp50}")" \
      "$(awk "BEGIN{print $gp99 - $dp99}")" "$added_co" "$(awk "BEGIN{print $grps / $drps}")"
  done
}
