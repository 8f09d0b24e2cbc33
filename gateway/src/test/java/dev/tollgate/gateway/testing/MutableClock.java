package dev.tollgate.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves forward: either ticking with real time from a chosen start, or frozen until advanced.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Duration> offset;
    private final Instant frozenAt;

    /** Ticks with real time, starting at {@code start}. */
    public MutableClock(Instant start) {
        this.offset = new AtomicReference<>(Duration.between(Instant.now(), start));
        this.frozenAt = null;
    }

    private MutableClock(Instant frozenAt, boolean frozen) {
        this.offset = new AtomicReference<>(Duration.ZERO);
        this.frozenAt = frozenAt;
    }

    /** Stands still at {@code at} until advanced. */
    public static MutableClock frozen(Instant at) {
        return new MutableClock(at, true);
    }

    public void advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return (frozenAt != null ? frozenAt : Instant.now()).plus(offset.get());
    }
}
