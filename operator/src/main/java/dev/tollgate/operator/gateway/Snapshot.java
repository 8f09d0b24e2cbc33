package dev.tollgate.operator.gateway;

import dev.tollgate.api.config.GatewayConfig;

import java.time.Instant;

/**
 * A rendered configuration snapshot.
 *
 * @param config      the records
 * @param yaml        what goes into the config Secret
 * @param version     short hash of {@code yaml}
 * @param nextChange  when the snapshot changes by itself (a key expires, a grace hash ends), or null
 */
public record Snapshot(GatewayConfig config, String yaml, String version, Instant nextChange) {
}
