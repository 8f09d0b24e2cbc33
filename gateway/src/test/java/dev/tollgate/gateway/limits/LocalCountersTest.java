package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** This pod's own sliding-window counters: shares, retry times, token corrections, parallel leases, all-or-nothing. */
class LocalCountersTest {

    private final MutableClock clock = MutableClock.frozen(Instant.parse("2030-01-01T00:00:00.250Z"));

    private static List<LimitAsk> asks(LimitAsk... asks) {
        return List.of(asks);
    }

    @Test
    void eachReplicaEnforcesItsShareOfTheRequestLimit() {
        LocalCounters counters = new LocalCounters(clock, () -> 3);
        LimitAsk ask = new LimitAsk("key:a", 60, null, null, 0);
        int admitted = 0;
        for (int i = 0; i < 30; i++) {
            if (counters.acquire(asks(ask), "l" + i, 60_000).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(20);
    }

    @Test
    void refusedRequestLearnsWhenTheOldestBucketLeavesTheWindow() {
        LocalCounters counters = new LocalCounters(clock, () -> 1);
        LimitAsk ask = new LimitAsk("key:a", 2, null, null, 0);
        assertThat(counters.acquire(asks(ask), "1", 60_000).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(counters.acquire(asks(ask), "2", 60_000).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(5));
        LimitOutcome refused = counters.acquire(asks(ask), "3", 60_000);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.kind()).isEqualTo(LimitKind.RPM);
        // The first request was counted in second 0 and leaves when second 61 starts: 61 s - 15.25 s from now.
        assertThat(refused.retryAfterMillis()).isEqualTo(61_000 - 15_250);
        clock.advance(Duration.ofMillis(refused.retryAfterMillis() - 1));
        assertThat(counters.acquire(asks(ask), "4", 60_000).allowed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(counters.acquire(asks(ask), "5", 60_000).allowed()).isTrue();
    }

    @Test
    void noSixtySecondIntervalHoldsMoreThanTheLimit() {
        LocalCounters counters = new LocalCounters(clock, () -> 1);
        LimitAsk ask = new LimitAsk("key:a", 10, null, null, 0);
        List<Long> admittedAt = new java.util.ArrayList<>();
        for (int step = 0; step < 600; step++) { // 3 minutes in 300 ms steps
            if (counters.acquire(asks(ask), "l" + step, 60_000).allowed()) {
                admittedAt.add(clock.millis());
            }
            clock.advance(Duration.ofMillis(300));
        }
        for (long start : admittedAt) {
            long inWindow = admittedAt.stream().filter(t -> t >= start && t < start + 60_000).count();
            assertThat(inWindow).isLessThanOrEqualTo(10);
        }
        assertThat(admittedAt).hasSizeGreaterThanOrEqualTo(29); // ~10 per 61 s over 180 s: the window is not too strict
    }

    @Test
    void tokenEstimateIsCorrectedWithTheRealCount() {
        LocalCounters counters = new LocalCounters(clock, () -> 1);
        LimitAsk big = new LimitAsk("key:a", null, 1000, null, 800);
        LimitOutcome first = counters.acquire(asks(big), "1", 60_000);
        assertThat(first.allowed()).isTrue();
        assertThat(counters.acquire(asks(big), "2", 60_000).allowed()).isFalse();
        counters.release(first.hold(), 100 - 800); // it used 100 tokens, not 800
        LimitOutcome second = counters.acquire(asks(big), "3", 60_000);
        assertThat(second.allowed()).isTrue();
        assertThat(second.usage().getFirst().usedTokens()).isEqualTo(900);
    }

    @Test
    void parallelLeasesAreReturnedOnRelease() {
        LocalCounters counters = new LocalCounters(clock, () -> 1);
        LimitAsk ask = new LimitAsk("key:a", null, null, 2, 0);
        LimitOutcome a = counters.acquire(asks(ask), "a", 60_000);
        LimitOutcome b = counters.acquire(asks(ask), "b", 60_000);
        LimitOutcome c = counters.acquire(asks(ask), "c", 60_000);
        assertThat(List.of(a.allowed(), b.allowed(), c.allowed())).containsExactly(true, true, false);
        assertThat(c.kind()).isEqualTo(LimitKind.PARALLEL);
        counters.release(a.hold(), 0);
        assertThat(counters.acquire(asks(ask), "d", 60_000).allowed()).isTrue();
    }

    @Test
    void aRefusalByTheTeamTakesNothingFromTheKey() {
        LocalCounters counters = new LocalCounters(clock, () -> 1);
        LimitAsk key = new LimitAsk("key:a", 5, null, null, 0);
        LimitAsk team = new LimitAsk("team:t", 1, null, null, 0);
        assertThat(counters.acquire(asks(key, team), "1", 60_000).allowed()).isTrue();
        LimitOutcome refused = counters.acquire(asks(key, team), "2", 60_000);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refused()).isEqualTo(1);
        LimitOutcome keyAlone = counters.acquire(asks(key), "3", 60_000);
        assertThat(keyAlone.usage().getFirst().usedRequests()).isEqualTo(2); // the refused request was not counted
    }
}
