package dev.tollgate.api.config;

import java.time.Duration;
import java.util.List;

/**
 * Storage of request and response text when a key's content-logging policy is {@code redacted} or {@code full}.
 *
 * @param retentionDays  content rows older than this are purged; 0 keeps them forever
 * @param purgeInterval  how often the retention job runs
 * @param queueCapacity  content records waiting for redaction at most; beyond it records are dropped and counted
 * @param redactPatterns extra patterns redacted besides the built-in kinds
 */
public record ContentSettings(int retentionDays, Duration purgeInterval, int queueCapacity, List<RedactPattern> redactPatterns) {

    public ContentSettings {
        redactPatterns = List.copyOf(redactPatterns);
    }

    public static ContentSettings defaults() {
        return new ContentSettings(30, Duration.ofHours(1), 10_000, List.of());
    }

    /** A custom redaction: every match of {@code regex} becomes {@code [REDACTED:<name>]}. */
    public record RedactPattern(String name, String regex) {
    }
}
