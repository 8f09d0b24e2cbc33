{{- define "tollgate.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tollgate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tollgate.operatorName" -}}
{{- printf "%s-operator" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tollgate.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{- define "tollgate.labels" -}}
{{ include "tollgate.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "tollgate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tollgate.operatorName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
An image reference from a block {repository, tag, digest}: repository@digest when a digest is set (the tag is then
ignored: a digest names exactly one image), else repository:tag, the tag defaulting to the chart's appVersion.
Call with (dict "image" <block> "appVersion" .Chart.AppVersion "what" "<values path, for the error message>").
*/}}
{{- define "tollgate.imageRef" -}}
{{- $digest := .image.digest | default "" | toString -}}
{{- if $digest -}}
{{- if not (regexMatch "^[a-z0-9]+([+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$" $digest) -}}
{{- fail (printf "%s.digest must be <algorithm>:<hex>, e.g. sha256:4f1c..., got %q" .what $digest) -}}
{{- end -}}
{{- printf "%s@%s" .image.repository $digest -}}
{{- else -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/* The operator's image. */}}
{{- define "tollgate.image" -}}
{{- include "tollgate.imageRef" (dict "image" .Values.image "appVersion" .Chart.AppVersion "what" "image") -}}
{{- end -}}

{{/* The default gateway image of LLMGateways without spec.image (the operator's TOLLGATE_GATEWAY_IMAGE). */}}
{{- define "tollgate.gatewayImage" -}}
{{- include "tollgate.imageRef" (dict "image" .Values.gatewayImage "appVersion" .Chart.AppVersion "what" "gatewayImage") -}}
{{- end -}}

{{/* Namespaced rules of the operator; kept in one place for the ClusterRole and the per-namespace Roles. */}}
{{- define "tollgate.namespacedRules" -}}
- apiGroups: [tollgate.dev]
  resources: [llmgateways, modelroutes, virtualkeys, teambudgets]
  verbs: [get, list, watch, update, patch]
- apiGroups: [tollgate.dev]
  resources: [llmgateways/status, modelroutes/status, virtualkeys/status, teambudgets/status]
  verbs: [get, update, patch]
# ownerReferences with blockOwnerDeletion (gateway objects, key Secrets) need update on the owner's finalizers where the
# OwnerReferencesPermissionEnforcement admission plugin runs (OpenShift); no finalizer is set on either kind
- apiGroups: [tollgate.dev]
  resources: [llmgateways/finalizers, virtualkeys/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [secrets, serviceaccounts, services]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- /* read only: the gateway pods' statuses make LLMGateway's Degraded condition */}}
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, rolebindings]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [apps]
  resources: [statefulsets]
  verbs: [get, list, watch, create, update, delete]
{{- /* only to delete the Deployment a gateway had before it ran as a StatefulSet */}}
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, update, delete]
{{- end -}}
