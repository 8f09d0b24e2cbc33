-- Argo CD health of a Tollgate resource (LLMGateway, ModelRoute, VirtualKey, TeamBudget).
-- Progressing until the operator has observed the current generation; then the Ready condition decides.
hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile"
  return hs
end
if obj.metadata.generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < obj.metadata.generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end
local ready = nil
local exceeded = nil
local degraded = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    ready = c
  elseif c.type == "BudgetExceeded" and c.status == "True" then
    exceeded = c
  elseif c.type == "Degraded" and c.status == "True" then
    degraded = c
  end
end
-- LLMGateway: pods that cannot become Ready without help (ImagePullFailed, CrashLooping, Unschedulable, RolloutStuck, ...)
if degraded ~= nil then
  hs.status = "Degraded"
  hs.message = degraded.message
  return hs
end
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Ready condition not reported yet"
  return hs
end
if ready.status == "True" then
  if exceeded ~= nil then
    hs.status = "Degraded"
    hs.message = exceeded.message
  else
    hs.status = "Healthy"
    hs.message = ready.message
  end
  return hs
end
if ready.reason == "Suspended" then
  hs.status = "Suspended"
elseif ready.reason == "PodsNotReady" or ready.reason == "DeploymentNotReady" then
  -- DeploymentNotReady: the same, written by operators before the gateway pods ran as a StatefulSet
  hs.status = "Progressing"
else
  hs.status = "Degraded"
end
hs.message = ready.message
return hs
