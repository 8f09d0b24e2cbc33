#!/usr/bin/env bash
# The long hostile-input run: the two fuzz tests of the test suite at many times their CI size. Not a benchmark of
# speed: it looks for what a short run is unlikely to hit (a rare 5xx, a hang, a leak). Passing means what it means in
# CI: no 5xx on client input, no hang, no error in the server log, another tenant always served, and the heap after GC
# grows by less than 64 MiB from the first tenth of the translation run to its end. Appends a section to
# bench/RESULTS.md.
#   bench/fuzz.sh              (RAW=1000000 raw HTTP requests, TRANSLATION=300000 mutated API requests)
set -euo pipefail
cd "$(dirname "$0")/.."
RAW=${RAW:-1000000}
TRANSLATION=${TRANSLATION:-300000}
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} PATH=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin:$PATH
mkdir -p bench/out
start=$(date +%s)
set +e
./mvnw -B -o test -pl gateway -am -Dtest='HostileRequestFuzzTest,TranslationFuzzTest,!**/*IT' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.requests="$RAW" -Dfuzz.translation.requests="$TRANSLATION" > bench/out/fuzz.log 2>&1
rc=$?
set -e
section=$(mktemp)
{
  echo "### $(date -u +%Y-%m-%d) fuzz.sh: $RAW raw and $TRANSLATION mutated requests ($(nproc) cores, $(( $(date +%s) - start )) s)"
  echo
  echo '```'
  grep -a -E "^(Fuzz:|Translation fuzz:)" bench/out/fuzz.log | cut -c1-600
  grep -a -E "Tests run:.*Fuzz" bench/out/fuzz.log
  echo '```'
  echo
  [ $rc = 0 ] && echo "Passed." || echo "**Failed** (exit $rc): see bench/out/fuzz.log."
  echo
} > "$section"
cat "$section"
append_results fuzz "$section"
exit $rc
