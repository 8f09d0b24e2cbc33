#!/usr/bin/env bash
# The ledger's cost in PostgreSQL: database time per inserted row on a large ledger, by request id layout and index
# set. Needs a PostgreSQL on 127.0.0.1:5432 (trust auth) and psql. Appends a section to bench/RESULTS.md. Not a test.
#   bench/ledger.sh          (ROWS=4000000 existing rows, ROUNDS=4, BATCHES=60 statements of 500 rows per round)
# The gateway creates the schema (its migrations, in a fresh database tollgate_ledger_bench); the table is filled
# with ROWS rows of random ids (a ledger written before ids were time-ordered), larger than shared_buffers. Each round
# then inserts BATCHES batches of 500 rows per variant, alternating: random ids (req_ + 128 random bits) or
# time-ordered ids (req_ + epoch ms + 80 random bits, RequestIds); INSERT ... ON CONFLICT DO NOTHING (the gateway's
# insert until 8361d16, and still its replays) or a plain INSERT (LedgerStore's first try since); with and without
# the index on (requested_model, started_at) that migration 4 dropped. Figures: statement time per row (psql \timing; the machine
# is otherwise idle, so this is the backend's CPU and I/O), median of the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-4000000}
ROUNDS=${ROUNDS:-4}
BATCHES=${BATCHES:-60}
DB=tollgate_ledger_bench
. bench/lib.sh
bench_prepare
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

# the schema exactly as the gateway migrates it
BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/$DB BENCH_DATABASE_USER=postgres \
  "$JAVA_HOME/bin/java" -jar "$JAR" --config bench/bench.yaml > bench/out/ledger-gateway.log 2>&1 & GW=$!
trap 'kill $GW 2>/dev/null || true' EXIT
for i in $(seq 1 60); do curl -sf localhost:14000/health/readiness >/dev/null && break; sleep 0.5; done
kill $GW; wait $GW 2>/dev/null || true

COLUMNS="request_id, endpoint, started_at, ended_at, key_name, team, requested_model, backend, provider,
  upstream_model, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_pico, status, streamed, estimated"
# values of one row; $1 is the id expression, g the row's number in its statement
values() {
  echo "$1, 'chat', started, started + 300, 'key-' || (g % 50), 'team-' || (g % 7), 'gpt-4o-mini', 'nginx', 'openai',
    'gpt-4o-mini', 9, 10, 0, 0, 12345, 200, 0, 0"
}
RANDOM_ID="'req_' || md5(random()::text)"
ORDERED_ID="'req_' || lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 20)"

# fill without the secondary indexes, then build them (minutes faster than maintaining them row by row)
INDEXES=$("${PSQL[@]}" -d $DB -At -c "SELECT indexdef FROM pg_indexes WHERE tablename = 'ledger' AND indexname <> 'ledger_pkey'")
"${PSQL[@]}" -d $DB -At -c "SELECT 'DROP INDEX ' || indexname || ';' FROM pg_indexes WHERE tablename = 'ledger' AND indexname <> 'ledger_pkey'" \
  | "${PSQL[@]}" -d $DB
"${PSQL[@]}" -d $DB -c "INSERT INTO ledger ($COLUMNS) SELECT $(values "$RANDOM_ID") FROM (SELECT g, 1790000000000 + g / 10 AS started FROM generate_series(1, $ROWS) g) r"
sed 's/$/;/' <<< "$INDEXES" | "${PSQL[@]}" -d $DB
MODEL_INDEX="CREATE INDEX IF NOT EXISTS ledger_model_started_at ON ledger (requested_model, started_at)"
"${PSQL[@]}" -d $DB -c "VACUUM ANALYZE ledger" -c "CHECKPOINT"
SIZE=$("${PSQL[@]}" -d $DB -At -c "SELECT pg_size_pretty(pg_total_relation_size('ledger')) || ', primary key ' || pg_size_pretty(pg_relation_size('ledger_pkey'))")
BUFFERS=$("${PSQL[@]}" -d $DB -At -c "SHOW shared_buffers")

batch_file() { # id-expression suffix file
  { echo '\timing on'
    for i in $(seq 1 "$BATCHES"); do
      echo "INSERT INTO ledger ($COLUMNS) SELECT $(values "$1") FROM (SELECT g, (extract(epoch from now()) * 1000)::bigint AS started FROM generate_series(1, 500) g) r$2;"
    done; } > "$3"
}
SKIP=" ON CONFLICT (request_id) DO NOTHING"
batch_file "$RANDOM_ID" "$SKIP" bench/out/ledger-random-skip.sql
batch_file "$ORDERED_ID" "$SKIP" bench/out/ledger-ordered-skip.sql
batch_file "$ORDERED_ID" "" bench/out/ledger-ordered-all.sql
us_per_row() { # file suffix -> µs per inserted row of one round
  "${PSQL[@]}" -d $DB -f "bench/out/ledger-$1.sql" | awk -v n=$((BATCHES * 500)) '/^Time:/ {ms += $2} END {printf "%.1f", ms * 1000 / n}'
}
declare -A R
# ids, insert (skip: ON CONFLICT DO NOTHING; all: plain INSERT), secondary indexes (4 with the model index)
VARIANTS=("random skip 4" "random skip 3" "ordered skip 3" "ordered all 3")
for r in $(seq 1 "$ROUNDS"); do
  for v in "${VARIANTS[@]}"; do
    read -r ids insert indexes <<< "$v"
    if [ "$indexes" = 4 ]; then "${PSQL[@]}" -d $DB -c "$MODEL_INDEX"; else "${PSQL[@]}" -d $DB -c "DROP INDEX IF EXISTS ledger_model_started_at"; fi
    "${PSQL[@]}" -d $DB -c "CHECKPOINT" # each round starts after a checkpoint: full-page writes count alike
    R[$v]+="$(us_per_row "$ids-$insert") "
  done
done
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
{
  echo "## Ledger inserts in PostgreSQL — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "$("${PSQL[@]}" -d $DB -At -c "SELECT split_part(version(), ' on ', 1)"), shared_buffers $BUFFERS; $(nproc) cores. Ledger of $ROWS rows with random ids ($SIZE), schema from the gateway's migrations. $ROUNDS alternating rounds of $BATCHES statements of 500 rows per variant, each after a CHECKPOINT; statement time per inserted row, median of the rounds (every round in brackets)."
  echo
  echo "| request ids | insert | secondary indexes | µs per row |"
  echo "|---|---|---|---|"
  for v in "${VARIANTS[@]}"; do
    read -r ids insert indexes <<< "$v"
    label=$([ "$ids" = random ] && echo "random (128 bits)" || echo "time-ordered (ms + 80 bits)")
    how=$([ "$insert" = skip ] && echo "ON CONFLICT DO NOTHING" || echo "plain INSERT")
    names=$([ "$indexes" = 4 ] && echo "started_at, key, team, model" || echo "started_at, key, team")
    echo "| $label | $how | $names | **$(median <<< "${R[$v]}")** ($(xargs <<< "${R[$v]}" | sed 's/ /, /g')) |"
  done
  echo
} > bench/out/ledger.md
cat bench/out/ledger.md
append_results ledger bench/out/ledger.md
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB"
