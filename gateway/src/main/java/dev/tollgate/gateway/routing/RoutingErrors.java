package dev.tollgate.gateway.routing;

import dev.tollgate.gateway.error.GatewayException;

/** Errors the routing stage creates itself (upstream errors come from the providers). */
public final class RoutingErrors {

    private RoutingErrors() {
    }

    /** Every backend of the route is open-circuited or at its own quota. */
    public static GatewayException noBackend(String route, boolean someAtQuota) {
        return someAtQuota
                ? new GatewayException(429, "rate_limit_error", "backends_at_capacity",
                        null, "Every backend of model '" + route + "' is at its rate limit; try again shortly.")
                : new GatewayException(503, "api_error", "no_backend_available",
                        null, "No backend of model '" + route + "' is available right now; try again shortly.");
    }

    /** A stream's first token came later than the route's {@code firstTokenFallbackAfter}. */
    public static GatewayException slowFirstToken(String backend) {
        return new GatewayException(504, "timeout", "slow_first_token", null,
                "The first token from backend '" + backend + "' did not arrive in time.");
    }
}
