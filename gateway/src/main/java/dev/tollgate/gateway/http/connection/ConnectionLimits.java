package dev.tollgate.gateway.http.connection;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.tollgate.api.config.SecuritySettings;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The connection limits of one connector, resolved at start.
 *
 * @param headerTimeout  the whole head of a request must arrive within this
 * @param maxConnections connections served; beyond it new connections are refused
 * @param maxPerAddress  connections served per client address; 0 = no limit
 */
public record ConnectionLimits(Duration headerTimeout, int maxConnections, int maxPerAddress) {

    /** Open-file limit assumed where the JVM cannot tell it (not a Unix system). */
    private static final long UNKNOWN_FILE_LIMIT = 10_000;

    /** Limits of the API port: the configured ones, {@code maxConnections} worked out from the open-file limit when not set. */
    public static ConnectionLimits api(SecuritySettings s) {
        int max = s.maxConnections() != null ? s.maxConnections() : automaticMaxConnections(openFileLimit());
        return new ConnectionLimits(s.headerTimeout(), max, s.maxConnectionsPerAddress());
    }

    /** Limits of the management port: the header deadline only, so metrics and probes stay reachable in a flood. */
    public static ConnectionLimits management(SecuritySettings s) {
        return new ConnectionLimits(s.headerTimeout(), Integer.MAX_VALUE, 0);
    }

    /**
     * Three quarters of the open-file limit: the rest is for upstream connections, the database, the journal and the
     * refusal reserve. Never above {@link SecuritySettings#AUTOMATIC_MAX_CONNECTIONS_CEILING}, never below 64.
     */
    static int automaticMaxConnections(long openFileLimit) {
        return (int) Math.max(64, Math.min(SecuritySettings.AUTOMATIC_MAX_CONNECTIONS_CEILING, openFileLimit / 4 * 3));
    }

    /**
     * The head deadline while the connector is pressed (above {@link #shedIdleAbove()}): a tenth of {@link #headerTimeout()},
     * at least a second. A flood that reopens every connection it loses must then open its whole share every second
     * instead of every ten, while a real client sends its head in milliseconds (Envoy's overload action
     * {@code reduce_timeouts} does the same to its timeouts).
     */
    public Duration pressedHeaderTimeout() {
        Duration tenth = headerTimeout.dividedBy(10);
        Duration floor = Duration.ofSeconds(1);
        return tenth.compareTo(floor) >= 0 ? tenth : headerTimeout.compareTo(floor) < 0 ? headerTimeout : floor;
    }

    /** Above this many connections, idle keep-alive connections are closed to make room (90 % of the limit). */
    public int shedIdleAbove() {
        return maxConnections == Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) (maxConnections * 9L / 10);
    }

    /**
     * Refused connections answered with an error at the same time (5 % of the limit, 8 to 256); further ones are closed
     * at once. Answering needs the request head, so a refused connection holds its descriptor up to the header timeout.
     */
    public int refusalReserve() {
        return (int) Math.clamp(maxConnections / 20L, 8, 256);
    }

    private static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return UNKNOWN_FILE_LIMIT;
    }
}
