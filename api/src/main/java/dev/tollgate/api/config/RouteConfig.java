package dev.tollgate.api.config;

import java.time.Duration;
import java.util.List;

/**
 * A public model name and the backends that serve it.
 *
 * @param model     public model name clients send
 * @param aliases   other names for the same route
 * @param backends  deployments able to serve it
 * @param strategy  how a backend is picked (weighted by default)
 * @param retries   further attempts after the first fails with a retryable error
 * @param timeout   whole-request timeout for one attempt
 * @param fallbacks other routes tried, in order, when this route's backends are exhausted
 * @param dropUnsupportedParams drop request parameters a backend's provider cannot honour instead of refusing with 400
 */
public record RouteConfig(
        String model,
        List<String> aliases,
        List<BackendConfig> backends,
        String strategy,
        int retries,
        Duration timeout,
        List<String> fallbacks,
        boolean dropUnsupportedParams) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    /** A route that refuses parameters its backends cannot honour. */
    public RouteConfig(String model, List<String> aliases, List<BackendConfig> backends, String strategy, int retries,
                       Duration timeout, List<String> fallbacks) {
        this(model, aliases, backends, strategy, retries, timeout, fallbacks, false);
    }

    public RouteConfig {
        aliases = List.copyOf(aliases);
        backends = List.copyOf(backends);
        fallbacks = List.copyOf(fallbacks);
    }
}
