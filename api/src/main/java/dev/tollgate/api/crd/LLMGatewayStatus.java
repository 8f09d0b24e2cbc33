package dev.tollgate.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Fleet state and what the current snapshot holds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LLMGatewayStatus extends TollgateStatus {
    public Integer replicas;
    public Integer readyReplicas;
    /** Short hash of the rendered snapshot; changes exactly when the snapshot changes. */
    public String configVersion;
    public String configSecret;
    public Integer routes;
    public Integer keys;
    public Integer teams;
}
