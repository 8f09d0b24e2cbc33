package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.error.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down key guessing: counts failed authentications (401) per client address in one-minute windows and
 * refuses that address with 429 once it has failed {@code perMinute} times, until the window ends. Counted in
 * {@code tollgate.auth.failures} and {@code tollgate.auth.throttled}. Memory is bounded: old windows are dropped.
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

    /** @param perMinute failures allowed per address per minute; 0 turns throttling off (failures are still counted) */
    public AuthFailureLimiter(int perMinute, Clock clock, MeterRegistry registry) {
        this.perMinute = perMinute;
        this.clock = clock;
        this.failures = Counter.builder("tollgate.auth.failures").description("Requests refused with 401 (no, unknown or invalid key)").register(registry);
        this.throttled = Counter.builder("tollgate.auth.throttled").description("Requests refused with 429 after too many failed authentications").register(registry);
    }

    /** @throws GatewayException 429 if the address has used up its failures for this minute */
    public void check(String address) {
        if (perMinute <= 0) {
            return;
        }
        Window w = windows.get(address);
        if (w != null && w.minute() == minute() && w.failures().get() >= perMinute) {
            throttled.increment();
            long retryAfter = 60 - (clock.millis() / 1000) % 60;
            throw new GatewayException(429, "rate_limit_exceeded", "too_many_auth_failures", null,
                    "Too many requests with an invalid API key from this address; retry in " + retryAfter + " s.");
        }
    }

    /** Records one failed authentication from the address. */
    public void failed(String address) {
        failures.increment();
        if (perMinute <= 0) {
            return;
        }
        long minute = minute();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> w.minute() != minute);
        }
        windows.compute(address, (a, w) -> w == null || w.minute() != minute ? new Window(minute, new AtomicInteger()) : w)
                .failures().incrementAndGet();
    }

    private long minute() {
        return clock.millis() / 60_000;
    }
}
