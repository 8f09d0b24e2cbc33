# Shared by the bench scripts (sourced, not run): the nginx upstream, the ledger database, and RESULTS.md sections.

# Starts the zero-delay nginx upstream (bench/nginx-upstream.conf) in the background; sets NGX.
start_nginx() {
  nginx -c "$PWD/bench/nginx-upstream.conf" -p "$PWD/bench/" & NGX=$!
}

# Ledger to PostgreSQL when one answers on 127.0.0.1:5432 (trust auth), as in a fleet; else SQLite. A fresh
# database each run. Sets LEDGER and, for PostgreSQL, BENCH_DATABASE_URL and BENCH_DATABASE_USER (bench.yaml).
choose_ledger() {
  rm -rf /tmp/tollgate-bench.db* /tmp/tollgate-bench-spill
  if command -v psql >/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS tollgate_bench" >/dev/null 2>&1 \
     && psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE tollgate_bench" >/dev/null 2>&1; then
    export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/tollgate_bench BENCH_DATABASE_USER=postgres
    LEDGER=PostgreSQL
  else
    LEDGER=SQLite
  fi
}

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
