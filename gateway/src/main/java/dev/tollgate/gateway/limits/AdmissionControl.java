package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.request.ModelRequest;

/**
 * The limit and budget stage: decides whether a key (and its team) may start a request now. Refuses with a
 * {@link dev.tollgate.gateway.error.GatewayException} (429) naming the limit; admits with an {@link Admission} that
 * the pipeline completes when the request ends.
 */
public interface AdmissionControl {

    /** Admits everything; used until limits are configured. */
    AdmissionControl UNLIMITED = (key, config, request, route) -> Admission.NONE;

    Admission admit(KeyPolicy key, RuntimeConfig config, ModelRequest request, RouteConfig route);
}
