package dev.tollgate.operator.gateway;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.operator.cluster.ReferencedSecrets;

import java.time.Instant;
import java.util.List;

/**
 * A rendered configuration snapshot.
 *
 * @param config      the records
 * @param yaml        what goes into the config Secret
 * @param version     short hash of {@code yaml}
 * @param nextChange  when the snapshot changes by itself (a key expires, a grace hash ends), or null
 * @param unresolved  Secrets of the gateway's own spec the render needed and could not read (the admin key)
 */
public record Snapshot(GatewayConfig config, String yaml, String version, Instant nextChange, List<ReferencedSecrets.Lookup> unresolved) {
}
