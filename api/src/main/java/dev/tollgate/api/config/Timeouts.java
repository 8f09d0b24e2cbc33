package dev.tollgate.api.config;

import java.time.Duration;

/**
 * Time limits of one attempt on a backend.
 *
 * @param connect    to open the TCP/TLS connection
 * @param request    the whole attempt, from sending the request to the last byte of the answer
 * @param firstToken streams: from sending the request to the first chunk; null for no limit
 * @param idle       streams: between two chunks; null for no limit
 */
public record Timeouts(Duration connect, Duration request, Duration firstToken, Duration idle) {

    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), RouteConfig.DEFAULT_TIMEOUT, null, null);
}
