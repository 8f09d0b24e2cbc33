package dev.tollgate.gateway.config;

import dev.tollgate.api.config.KeyConfig;

import java.time.Instant;
import java.util.Set;

/**
 * A virtual key as the hot path sees it: the policy plus a prepared model set.
 *
 * @param hash       the hash this entry is found under (the key's own, or a grace hash)
 * @param config     the key's configuration
 * @param allModels  true when the key may use every model
 * @param models     allowed public model names (aliases resolved to the route's name)
 * @param validUntil for a grace hash of a rotated key, when it stops working; null otherwise
 */
public record KeyPolicy(String hash, KeyConfig config, boolean allModels, Set<String> models, Instant validUntil) {

    public String name() {
        return config.name();
    }

    public String team() {
        return config.team();
    }

    public boolean allows(String routeModel) {
        return allModels || models.contains(routeModel);
    }
}
