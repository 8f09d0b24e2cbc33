package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Conditions Accepted and ResolvedRefs (credential Secrets found) roll up into Ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelRouteStatus extends TollgateStatus {
    /** Resolved / declared backends, e.g. {@code 2/2}. */
    public String backends;
}
