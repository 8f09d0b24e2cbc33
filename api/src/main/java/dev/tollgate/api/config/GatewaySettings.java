package dev.tollgate.api.config;

/**
 * Gateway-wide settings.
 *
 * @param host             bind address
 * @param port             HTTP port for the OpenAI-compatible API
 * @param adminKeyHash     {@code sha256:<hex>} of the admin key, or null when admin endpoints are disabled
 * @param maxBodyBytes     largest request body accepted (413 above)
 * @param replicas         gateway pods sharing the limits (per-pod share without Redis)
 * @param database         where the spend ledger lives
 * @param ledger           batching of ledger writes
 * @param contentLogging   whether request content is logged: off, redacted or full (a key may override it)
 * @param redis            shared limit counters for the fleet; null means each pod enforces {@code limit / replicas}
 * @param defaultMaxTokens completion tokens assumed for limits and budget reservations when a request sets no
 *                         {@code max_tokens}
 * @param content          where logged content goes, how long it is kept, extra redaction patterns
 * @param security         management port, shutdown grace, input limits, unauthenticated throttling
 * @param tracing          OpenTelemetry tracing; null when the file has no {@code tracing} block (the standard
 *                         {@code OTEL_*} environment variables then decide, off unless they name an endpoint)
 */
public record GatewaySettings(
        String host,
        int port,
        String adminKeyHash,
        long maxBodyBytes,
        int replicas,
        DatabaseSettings database,
        LedgerSettings ledger,
        ContentLogging contentLogging,
        RedisSettings redis,
        int defaultMaxTokens,
        ContentSettings content,
        SecuritySettings security,
        TracingSettings tracing) {

    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
    public static final int DEFAULT_MAX_TOKENS = 1024;

}
