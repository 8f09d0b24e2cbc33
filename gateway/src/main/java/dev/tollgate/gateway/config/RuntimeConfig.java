package dev.tollgate.gateway.config;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.KeyConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.TeamConfig;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One configuration version compiled for the hot path: keys by hash, routes by every name and alias, teams by
 * name. Built once per load; requests read it through a single volatile reference, so each sees one version.
 */
public final class RuntimeConfig {

    private final GatewayConfig source;
    private final long version;
    private final Map<String, KeyPolicy> keysByHash;
    private final Map<String, RouteConfig> routesByName;
    private final Map<String, TeamConfig> teamsByName;

    public RuntimeConfig(GatewayConfig source, long version) {
        this.source = source;
        this.version = version;
        Map<String, RouteConfig> routes = new HashMap<>();
        for (RouteConfig r : source.routes()) {
            routes.put(r.model(), r);
            r.aliases().forEach(a -> routes.put(a, r));
        }
        this.routesByName = Map.copyOf(routes);
        Map<String, KeyPolicy> keys = new HashMap<>();
        for (KeyConfig k : source.keys()) {
            boolean all = k.models().contains("*");
            Set<String> models = new HashSet<>();
            for (String m : k.models()) {
                RouteConfig r = routes.get(m);
                if (r != null) {
                    models.add(r.model());
                }
            }
            keys.put(k.keyHash(), new KeyPolicy(k.keyHash(), k, all, Set.copyOf(models), null));
            for (KeyConfig.GraceHash g : k.graceHashes()) {
                keys.putIfAbsent(g.keyHash(), new KeyPolicy(g.keyHash(), k, all, Set.copyOf(models), g.validUntil()));
            }
        }
        this.keysByHash = Map.copyOf(keys);
        Map<String, TeamConfig> teams = new HashMap<>();
        source.teams().forEach(t -> teams.put(t.name(), t));
        this.teamsByName = Map.copyOf(teams);
    }

    public GatewayConfig source() {
        return source;
    }

    /** Increases by one with every configuration swapped in. */
    public long version() {
        return version;
    }

    public KeyPolicy keyByHash(String hash) {
        return keysByHash.get(hash);
    }

    public RouteConfig route(String modelOrAlias) {
        return routesByName.get(modelOrAlias);
    }

    public TeamConfig team(String name) {
        return name == null ? null : teamsByName.get(name);
    }

    public List<RouteConfig> routes() {
        return source.routes();
    }
}
