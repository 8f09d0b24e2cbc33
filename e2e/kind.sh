#!/usr/bin/env bash
# End to end on a real Kubernetes API server: a kind cluster, the images this checkout built, the Helm chart, the
# samples (trial PostgreSQL included; the OpenAI routes swapped for the built-in mock provider, so no API key), a call
# through the gateway Service with a VirtualKey's generated key, and that call's spend in the VirtualKey's status.
#
# Runs on machines with a Docker engine: GitHub's runners (.github/workflows/e2e.yml) or a workstation. It has never
# run on the project's development machines, which have no container engine and no Kubernetes API server.
#
# Needs: kind, kubectl, helm (3.8+), docker, curl, jq, and the two image tars:
#   bash images/base/build.sh                      # the base (Debian libc + jlink Java 25), as CI builds it
#   ./mvnw -B -Pimages -DskipTests package         # gateway/target/jib-image.tar, operator/target/jib-image.tar
#   e2e/kind.sh
#
# Environment:
#   KIND_CLUSTER_NAME  cluster name (default tollgate-e2e); an existing cluster of that name is reused
#   KIND_NODE_IMAGE    kindest/node image (default: kind's own default)
#   KEEP_CLUSTER=1     keep the cluster at the end (default: deleted on exit, pass or fail)
#   E2E_TIMEOUT        seconds to wait for each rollout (default 300)
#   E2E_ARTIFACTS      directory for `kind export logs` on failure (default: none)
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${KIND_CLUSTER_NAME:-tollgate-e2e}
KEEP_CLUSTER=${KEEP_CLUSTER:-0}
TIMEOUT=${E2E_TIMEOUT:-300}
ARTIFACTS=${E2E_ARTIFACTS:-}
CONTEXT="kind-$CLUSTER"
SYSTEM_NS=tollgate-system
TEAM_NS=team-search
KEY_NAME=search-api           # VirtualKey in samples/k8s/40-team-search.yaml
GATEWAY=gateway               # LLMGateway in samples/k8s/20-gateway.yaml
GATEWAY_PODS="app.kubernetes.io/name=tollgate-gateway,app.kubernetes.io/instance=$GATEWAY"
OPERATOR_TAR=operator/target/jib-image.tar
GATEWAY_TAR=gateway/target/jib-image.tar
LOCAL_PORT=${E2E_LOCAL_PORT:-14000}

log() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'e2e: %s\n' "$*" >&2; exit 1; }
k() { kubectl --context "$CONTEXT" "$@"; }

for tool in kind kubectl helm docker curl jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required (see the header of $0)"
done
for tar in "$OPERATOR_TAR" "$GATEWAY_TAR"; do
  [ -f "$tar" ] || die "$tar is missing: run images/base/build.sh, then ./mvnw -B -Pimages -DskipTests package"
done

# The image names are read from the tars themselves, so the script tests exactly what Jib wrote.
image_of() {
  local manifest ref
  manifest=$(tar -xOf "$1" manifest.json 2>/dev/null || tar -xOf "$1" ./manifest.json 2>/dev/null) \
    || die "$1 is not a docker-archive tar (no manifest.json)"
  ref=$(jq -r '.[0].RepoTags[0] // empty' <<<"$manifest")
  [ -n "$ref" ] || die "$1 names no image (manifest.json has no RepoTags)"
  printf '%s' "$ref"
}
OPERATOR_IMAGE=$(image_of "$OPERATOR_TAR")
GATEWAY_IMAGE=$(image_of "$GATEWAY_TAR")
for ref in "$OPERATOR_IMAGE" "$GATEWAY_IMAGE"; do
  # a loaded image is only used when the kubelet does not pull: IfNotPresent, the default for any tag but latest
  [ "${ref##*:}" != latest ] || die "$ref: a :latest tag makes the kubelet pull; build with a version tag"
done

WORK=$(mktemp -d)
PORT_FORWARD_PID=
dump() {
  set +e
  log "FAILED: state of the cluster"
  k get nodes -o wide
  k get pods -A -o wide
  k get llmgateways,modelroutes,statefulsets,deployments,services,pvc -n "$SYSTEM_NS" -o wide
  k get virtualkeys,teambudgets,secrets -n "$TEAM_NS" -o wide
  log "custom resources (status)"
  k get llmgateways,modelroutes -n "$SYSTEM_NS" -o yaml
  k get virtualkeys,teambudgets -n "$TEAM_NS" -o yaml
  log "events"
  k get events -n "$SYSTEM_NS" --sort-by=.lastTimestamp
  k get events -n "$TEAM_NS" --sort-by=.lastTimestamp
  log "pods in $SYSTEM_NS (describe)"
  k describe pods -n "$SYSTEM_NS"
  log "operator logs"
  k logs -n "$SYSTEM_NS" -l app.kubernetes.io/component=operator --all-containers --prefix --tail=-1
  k logs -n "$SYSTEM_NS" -l app.kubernetes.io/component=operator --all-containers --prefix --previous --tail=200 2>/dev/null
  log "gateway logs"
  k logs -n "$SYSTEM_NS" -l "$GATEWAY_PODS" --all-containers --prefix --tail=500
  k logs -n "$SYSTEM_NS" -l "$GATEWAY_PODS" --all-containers --prefix --previous --tail=200 2>/dev/null
  log "ledger database logs"
  k logs -n "$SYSTEM_NS" -l app.kubernetes.io/name=ledger-postgres --all-containers --prefix --tail=200
  if [ -n "$ARTIFACTS" ]; then
    mkdir -p "$ARTIFACTS"
    kind export logs "$ARTIFACTS/kind-logs" --name "$CLUSTER" >/dev/null 2>&1
  fi
}
cleanup() {
  local rc=$?
  trap - EXIT
  if [ -n "$PORT_FORWARD_PID" ]; then
    kill "$PORT_FORWARD_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    dump
  fi
  rm -rf "$WORK"
  if [ "$KEEP_CLUSTER" = 1 ]; then
    log "keeping cluster $CLUSTER (kubectl --context $CONTEXT ...; delete: kind delete cluster --name $CLUSTER)"
  else
    log "deleting cluster $CLUSTER"
    kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT

# ---- cluster and images -------------------------------------------------------------------------------------------
if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  log "reusing kind cluster $CLUSTER"
else
  log "creating kind cluster $CLUSTER"
  kind create cluster --name "$CLUSTER" --wait 180s ${KIND_NODE_IMAGE:+--image "$KIND_NODE_IMAGE"}
fi
k version
log "loading $OPERATOR_IMAGE and $GATEWAY_IMAGE"
kind load image-archive "$OPERATOR_TAR" --name "$CLUSTER"
kind load image-archive "$GATEWAY_TAR" --name "$CLUSTER"

# ---- operator -----------------------------------------------------------------------------------------------------
log "helm install (operator $OPERATOR_IMAGE, default gateway image $GATEWAY_IMAGE)"
helm upgrade --install tollgate helm/tollgate --kube-context "$CONTEXT" -n "$SYSTEM_NS" --create-namespace \
  --set-string image.repository="${OPERATOR_IMAGE%:*}" --set-string image.tag="${OPERATOR_IMAGE##*:}" \
  --set-string image.pullPolicy=Never \
  --set-string gatewayImage.repository="${GATEWAY_IMAGE%:*}" --set-string gatewayImage.tag="${GATEWAY_IMAGE##*:}" \
  --wait --timeout "${TIMEOUT}s"
k -n "$SYSTEM_NS" rollout status deployment/tollgate-operator --timeout "${TIMEOUT}s"

# ---- samples ------------------------------------------------------------------------------------------------------
# samples/k8s as a user applies it, except: the OpenAI routes become mock routes (no key, no network), and the example
# application (50-app.yaml) is left out: its image ghcr.io/example/search-api does not exist.
log "applying samples/k8s (30-routes.yaml -> e2e/30-routes-mock.yaml, without 50-app.yaml)"
cp samples/k8s/*.yaml "$WORK/"
rm "$WORK/30-routes.yaml" "$WORK/50-app.yaml"
cp e2e/30-routes-mock.yaml "$WORK/30-routes.yaml"
k apply -f "$WORK/"

log "waiting for the trial ledger database"
k -n "$SYSTEM_NS" rollout status statefulset/ledger-postgres --timeout "${TIMEOUT}s"

log "waiting for the gateway pods"
deadline=$((SECONDS + TIMEOUT))
until [ -n "$(k -n "$SYSTEM_NS" get pods -l "$GATEWAY_PODS" -o name 2>/dev/null)" ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "no gateway pod after ${TIMEOUT}s"
  sleep 3
done
k -n "$SYSTEM_NS" wait pod -l "$GATEWAY_PODS" --for=condition=Ready --timeout "${TIMEOUT}s"
k -n "$SYSTEM_NS" wait "llmgateway/$GATEWAY" --for=condition=Ready --timeout "${TIMEOUT}s"
# the samples' Secrets carry tollgate.dev/watched=true, so the operator's label-selected informer holds the database Secret
k -n "$SYSTEM_NS" wait "llmgateway/$GATEWAY" --for=condition=ResolvedRefs --timeout 60s
images=$(k -n "$SYSTEM_NS" get pods -l "$GATEWAY_PODS" -o jsonpath='{range .items[*]}{.spec.containers[0].image}{"\n"}{end}' | sort -u)
[ "$images" = "$GATEWAY_IMAGE" ] || die "gateway pods run '$images', expected $GATEWAY_IMAGE (the chart's gatewayImage)"
k -n "$SYSTEM_NS" wait modelroute --all --for=condition=Ready --timeout 120s
k -n "$SYSTEM_NS" get llmgateways,modelroutes

# ---- the key ------------------------------------------------------------------------------------------------------
log "waiting for VirtualKey $TEAM_NS/$KEY_NAME and its Secret"
k -n "$TEAM_NS" wait "virtualkey/$KEY_NAME" --for=condition=Ready --timeout 120s
secret=$(k -n "$TEAM_NS" get "virtualkey/$KEY_NAME" -o jsonpath='{.status.secretName}')
secret=${secret:-$KEY_NAME-key}
KEY=$(k -n "$TEAM_NS" get secret "$secret" -o jsonpath='{.data.key}' | base64 -d)
BASE_URL=$(k -n "$TEAM_NS" get secret "$secret" -o jsonpath='{.data.baseUrl}' | base64 -d)
case "$KEY" in sk-tg-*) ;; *) die "Secret $TEAM_NS/$secret holds no sk-tg- key";; esac
echo "key ...${KEY: -4} from Secret $TEAM_NS/$secret; in-cluster baseUrl $BASE_URL"

# ---- calls through the gateway Service ----------------------------------------------------------------------------
log "port-forward svc/$GATEWAY -> 127.0.0.1:$LOCAL_PORT"
# kubectl itself, not the k function: $! must be kubectl's PID (a backgrounded function is a subshell whose kill
# would leave kubectl running)
kubectl --context "$CONTEXT" -n "$SYSTEM_NS" port-forward "svc/$GATEWAY" "$LOCAL_PORT:4000" >"$WORK/port-forward.log" 2>&1 &
PORT_FORWARD_PID=$!
URL="http://127.0.0.1:$LOCAL_PORT"
deadline=$((SECONDS + 60))
until curl -s -o /dev/null "$URL/health/liveness"; do
  [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/port-forward.log"; die "port-forward did not come up"; }
  sleep 1
done

chat() { # $1: JSON body; prints the HTTP status, leaves the body in $WORK/body
  curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$URL/v1/chat/completions" \
    -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$1"
}
REQUEST='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello from the kind e2e"}]}'
log "POST /v1/chat/completions (retried until the pods' config has the key: the snapshot follows the VirtualKey)"
deadline=$((SECONDS + 120))
until [ "$(chat "$REQUEST")" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/body"; echo; die "no 200 from the gateway within 120 s"; }
  sleep 3
done
jq -e '.choices[0].message.content | length > 0' "$WORK/body" >/dev/null || { cat "$WORK/body"; die "answer has no content"; }
jq -c '{model, usage}' "$WORK/body"
for _ in 1 2 3 4; do
  [ "$(chat "$REQUEST")" = 200 ] || { cat "$WORK/body"; die "a later call failed"; }
done
log "streamed call"
curl -sN -X POST "$URL/v1/chat/completions" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Stream, please"}]}' >"$WORK/stream"
grep -q '^data: \[DONE\]' "$WORK/stream" || { cat "$WORK/stream"; die "stream did not end with data: [DONE]"; }
echo "stream: $(grep -c '^data: ' "$WORK/stream") events"
log "a wrong key is refused"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/chat/completions" \
  -H 'Authorization: Bearer sk-tg-not-a-key' -H 'Content-Type: application/json' -d "$REQUEST")
[ "$status" = 401 ] || die "a wrong key got HTTP $status, expected 401"

# ---- spend in status ----------------------------------------------------------------------------------------------
log "waiting (up to 180 s) for spend in VirtualKey $TEAM_NS/$KEY_NAME status"
deadline=$((SECONDS + 180))
while :; do
  spend=$(k -n "$TEAM_NS" get "virtualkey/$KEY_NAME" -o jsonpath='{.status.spendUsd}')
  case "$spend" in
    "" | 0 | 0.0 | 0.00 | 0.000 | 0.0000) ;;
    *) break ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || die "spendUsd is still '${spend:-unset}' after 180 s"
  sleep 5
done
k -n "$TEAM_NS" get virtualkeys,teambudgets
log "PASSED: 6 calls through the gateway; VirtualKey $TEAM_NS/$KEY_NAME shows spendUsd $spend"
