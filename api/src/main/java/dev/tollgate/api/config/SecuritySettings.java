package dev.tollgate.api.config;

import java.time.Duration;

/**
 * How the gateway protects itself: management port, shutdown grace, input limits, unauthenticated throttling and
 * connection limits.
 *
 * @param managementPort        port for {@code /admin/*} and {@code /metrics}; null serves them on the API port
 * @param shutdownGrace         how long in-flight requests (streams included) may run after SIGTERM
 * @param maxHeaderBytes        largest request line plus headers accepted (431 above)
 * @param maxHeaders            most request headers accepted (431 above)
 * @param idleTimeout           a connection idle this long is closed
 * @param minRequestBytesPerSecond a client sending its body slower than this is cut off (slow-client defence); 0 = off
 * @param authFailuresPerMinute unauthenticated failures allowed per client address per minute before 429; 0 = off
 * @param headerTimeout         the whole head of a request (request line and headers) must arrive within this, counted
 *                              from the connection's accept for its first request and from the first byte for later ones
 * @param maxConnections        open connections on the API port; null = three quarters of the process's open-file
 *                              limit, at most {@link #AUTOMATIC_MAX_CONNECTIONS_CEILING}
 * @param maxConnectionsPerAddress open connections per client address on the API port; 0 = off
 */
public record SecuritySettings(
        Integer managementPort,
        Duration shutdownGrace,
        int maxHeaderBytes,
        int maxHeaders,
        Duration idleTimeout,
        long minRequestBytesPerSecond,
        int authFailuresPerMinute,
        Duration headerTimeout,
        Integer maxConnections,
        int maxConnectionsPerAddress) {

    /** The most connections an automatic {@code maxConnections} allows, whatever the open-file limit. */
    public static final int AUTOMATIC_MAX_CONNECTIONS_CEILING = 50_000;

    public static SecuritySettings defaults() {
        return new SecuritySettings(null, Duration.ofSeconds(30), 16 * 1024, 100, Duration.ofSeconds(60), 1024, 30,
                Duration.ofSeconds(10), null, 0);
    }
}
