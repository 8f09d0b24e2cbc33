package dev.tollgate.api.config;

import java.util.List;

/**
 * The whole gateway configuration: one immutable, validated snapshot. Produced by {@link ConfigLoader}
 * from a standalone YAML file, or rendered by the operator from custom resources.
 *
 * @param alerts budget alert webhooks of a standalone gateway; null when none are configured (always so in a cluster,
 *               where the operator sends them)
 */
public record GatewayConfig(
        GatewaySettings gateway,
        List<RouteConfig> routes,
        List<KeyConfig> keys,
        List<TeamConfig> teams,
        AlertSettings alerts) {

    public GatewayConfig {
        routes = List.copyOf(routes);
        keys = List.copyOf(keys);
        teams = List.copyOf(teams);
    }

    /** A configuration without alert webhooks. */
    public GatewayConfig(GatewaySettings gateway, List<RouteConfig> routes, List<KeyConfig> keys, List<TeamConfig> teams) {
        this(gateway, routes, keys, teams, null);
    }
}
