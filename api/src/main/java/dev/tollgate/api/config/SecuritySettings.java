package dev.tollgate.api.config;

import java.time.Duration;

/**
 * How the gateway protects itself: management port, shutdown grace, input limits and unauthenticated throttling.
 *
 * @param managementPort        port for {@code /admin/*} and {@code /metrics}; null serves them on the API port
 * @param shutdownGrace         how long in-flight requests (streams included) may run after SIGTERM
 * @param maxHeaderBytes        largest request line plus headers accepted (431 above)
 * @param maxHeaders            most request headers accepted (431 above)
 * @param idleTimeout           a connection idle this long is closed
 * @param minRequestBytesPerSecond a client sending its body slower than this is cut off (slow-client defence); 0 = off
 * @param authFailuresPerMinute unauthenticated failures allowed per client address per minute before 429; 0 = off
 */
public record SecuritySettings(
        Integer managementPort,
        Duration shutdownGrace,
        int maxHeaderBytes,
        int maxHeaders,
        Duration idleTimeout,
        long minRequestBytesPerSecond,
        int authFailuresPerMinute) {

    public static SecuritySettings defaults() {
        return new SecuritySettings(null, Duration.ofSeconds(30), 16 * 1024, 100, Duration.ofSeconds(60), 1024, 30);
    }
}
