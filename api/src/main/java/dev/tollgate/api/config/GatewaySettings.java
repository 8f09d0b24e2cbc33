package dev.tollgate.api.config;

/**
 * Gateway-wide settings.
 *
 * @param host            bind address
 * @param port            HTTP port for the OpenAI-compatible API
 * @param adminKeyHash    {@code sha256:<hex>} of the admin key, or null when admin endpoints are disabled
 * @param maxBodyBytes    largest request body accepted (413 above)
 * @param replicas        gateway pods sharing the limits (per-pod share without Redis)
 * @param database        where the spend ledger lives
 * @param ledger          batching of ledger writes
 * @param contentLogging  whether request content is logged: off, redacted or full (a key may override it)
 * @param content         where logged content goes, how long it is kept, extra redaction patterns
 * @param security        management port, shutdown grace, input limits, unauthenticated throttling
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
        ContentSettings content,
        SecuritySettings security) {

    /** Settings with default content storage and security settings. */
    public GatewaySettings(String host, int port, String adminKeyHash, long maxBodyBytes, int replicas,
                           DatabaseSettings database, LedgerSettings ledger, ContentLogging contentLogging) {
        this(host, port, adminKeyHash, maxBodyBytes, replicas, database, ledger, contentLogging,
                ContentSettings.defaults(), SecuritySettings.defaults());
    }

    public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;
}
