package dev.tollgate.api.config;

import java.time.Instant;
import java.util.List;

/**
 * A virtual key's policy. Carries only the SHA-256 hash of the key, never the key.
 *
 * @param name        human name, used in metrics and the ledger
 * @param team        team the key's spend counts towards, may be null
 * @param keyHash     {@code sha256:<64 hex>}
 * @param graceHashes earlier hashes of a rotated key, each valid until its own instant
 * @param models      allowed public model names, or {@code *}
 * @param expiresAt   after this instant the key is refused; null for never
 * @param suspended   a suspended key is refused
 * @param limits      rate limits, may be {@link Limits#NONE}
 * @param budget      spend cap, null for none
 * @param contentLogging this key's content-logging policy, null to use the gateway's
 */
public record KeyConfig(
        String name,
        String team,
        String keyHash,
        List<GraceHash> graceHashes,
        List<String> models,
        Instant expiresAt,
        boolean suspended,
        Limits limits,
        Budget budget,
        ContentLogging contentLogging) {

    public KeyConfig {
        graceHashes = List.copyOf(graceHashes);
        models = List.copyOf(models);
    }

    /** A previous hash of a rotated key, accepted until {@code validUntil}. */
    public record GraceHash(String keyHash, Instant validUntil) {
    }
}
