package dev.tollgate.api.config;

import java.net.URI;
import java.time.Duration;

/**
 * The Redis server that holds the fleet's shared limit counters.
 *
 * @param url        {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; may carry a password,
 *                   so it is never logged
 * @param keyPrefix  prefix of every Redis key the gateway writes (several gateways may share one Redis)
 * @param timeout    longest wait for one Redis command before the pod falls back to its own share
 */
public record RedisSettings(URI url, String keyPrefix, Duration timeout) {

    public static final String DEFAULT_KEY_PREFIX = "tollgate:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    /** Host and port only: safe to log. */
    public String address() {
        return url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    }

    @Override
    public String toString() {
        return "RedisSettings[address=" + address() + ", keyPrefix=" + keyPrefix + ", timeout=" + timeout + "]";
    }
}
