#!/usr/bin/env bash
# Added latency by prompt size: p50/p99 at 1 connection with prompts of ~10, 4,000 and 40,000 characters (about 2,
# 900 and 9,000 tokens), the last also as a conversation of 100 messages, direct to the upstream and through the gateway (every stage on: the limit stage estimates
# the prompt's tokens). Appends a section to bench/RESULTS.md. ~2 minutes. Not a test.
#   bench/prompt.sh         (DURATION=8s RUNS=3 WARMUP=20s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-20s}
. bench/lib.sh
bench_prepare
start_upstream_and_gateway
for chars in 4000 40000; do PROMPT_CHARS=$chars wrk -t1 -c1 -d"$WARMUP" -s bench/chat-timed.lua http://127.0.0.1:14000/v1/chat/completions >/dev/null; done

own() { # url chars messages -> "p50 p99", the median run by p50
  for r in $(seq 1 "$RUNS"); do
    if [ "$2" = 0 ]; then wrk -t1 -c1 -d"$DURATION" -s bench/chat-timed.lua "$1"
    else PROMPT_CHARS=$2 PROMPT_MESSAGES=$3 wrk -t1 -c1 -d"$DURATION" -s bench/chat-timed.lua "$1"; fi \
      | awk '/per-request/ {print $3, $7}'
  done | sort -n | awk -v n="$RUNS" 'NR==int((n+1)/2)'
}
{
  echo "## Added latency by prompt size — $(date -u +%Y-%m-%d) ($(git rev-parse --short HEAD))"
  echo
  echo "1 connection, each request's own latency (bench/chat-timed.lua with PROMPT_CHARS), median of $RUNS runs of $DURATION; gateway with every stage on ($LEDGER ledger), upstream nginx (canned answer)."
  echo
  echo "| prompt | direct p50 / p99 (µs) | gateway p50 / p99 (µs) | added p50 / p99 (µs) |"
  echo "|---|---|---|---|"
  for prompt in 0:1 4000:1 40000:1 40000:100; do
    chars=${prompt%%:*} messages=${prompt##*:}
    read -r dp50 dp99 <<< "$(own http://127.0.0.1:18080/v1/chat/completions $chars $messages)"
    read -r gp50 gp99 <<< "$(own http://127.0.0.1:14000/v1/chat/completions $chars $messages)"
    label=$([ "$chars" = 0 ] && echo '"Say hello"' || echo "~$chars characters")
    [ "$messages" = 1 ] || label="$label in $messages messages"
    echo "| $label | $dp50 / $dp99 | $gp50 / $gp99 | **$((gp50 - dp50))** / $((gp99 - dp99)) |"
  done
  echo
} > bench/out/prompt.md
cat bench/out/prompt.md
append_results prompt bench/out/prompt.md
