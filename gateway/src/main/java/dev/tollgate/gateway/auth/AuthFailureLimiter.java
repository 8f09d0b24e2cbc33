package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.error.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throttles failing authentications without ever refusing a valid one: counts failed authentications (401) per client
 * address in one-minute windows, and once an address has failed {@code perMinute} times, its further failing requests
 * get 429 {@code too_many_auth_failures} (with {@code retry-after}) instead of 401 until the window ends. It only
 * changes the answer of a request that fails authentication anyway: a valid key, a health check or a scrape from the
 * same address is served as usual (behind an ingress every client shares one address, and one misconfigured client
 * must not lock the others out). Counted in {@code tollgate.auth.failures} and {@code tollgate.auth.throttled}.
 * Memory is bounded: old windows are dropped.
 */
public final class AuthFailureLimiter {

    private static final int MAX_TRACKED = 100_000;

    private record Window(long minute, AtomicInteger failures) {
    }

    private final int perMinute;
    private final Clock clock;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();
    private final Counter failures;
    private final Counter throttled;

    /** @param perMinute failures per address per minute answered with 401; 0 turns throttling off (failures are still counted) */
    public AuthFailureLimiter(int perMinute, Clock clock, MeterRegistry registry) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.failures = Counter.builder("tollgate.auth.failures").description("Requests that failed authentication (no, unknown or invalid key)").register(registry);
        this.throttled = Counter.builder("tollgate.auth.throttled").description("Failed authentications answered 429 after too many from one address").register(registry);
    }

    /**
     * Records a failed authentication from {@code address} and returns the error to answer it with: {@code failure}
     * itself (the 401), or a 429 when the address has already used up its failures for this minute.
     */
    public GatewayException failed(String address, GatewayException failure) {
        failures.increment();
        if (perMinute <= 0) {
            return failure;
        }
        long minute = minute();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> w.minute() != minute);
        }
        int count = windows.compute(address, (a, w) -> w == null || w.minute() != minute ? new Window(minute, new AtomicInteger()) : w)
                .failures().incrementAndGet();
        if (count <= perMinute) {
            return failure;
        }
        throttled.increment();
        long retryAfter = 60 - (clock.millis() / 1000) % 60;
        return new GatewayException(429, "rate_limit_exceeded", "too_many_auth_failures", null,
                "Too many requests with an invalid API key from this address; retry in " + retryAfter + " s.") {
            @Override
            public Map<String, String> headers() {
                return Map.of("retry-after", Long.toString(retryAfter));
            }
        };
    }

    private long minute() {
        return clock.millis() / 60_000;
    }
}
