package dev.tollgate.api.config;

import java.util.List;

/**
 * The whole gateway configuration: one immutable, validated snapshot. Produced by {@link ConfigLoader}
 * from a standalone YAML file, or rendered by the operator from custom resources.
 */
public record GatewayConfig(
        GatewaySettings gateway,
        List<RouteConfig> routes,
        List<KeyConfig> keys,
        List<TeamConfig> teams) {

    public GatewayConfig {
        routes = List.copyOf(routes);
        keys = List.copyOf(keys);
        teams = List.copyOf(teams);
    }
}
