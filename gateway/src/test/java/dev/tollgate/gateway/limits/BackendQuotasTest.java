package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RedisSettings;
import dev.tollgate.gateway.testing.MutableClock;
import dev.tollgate.gateway.testing.RedisServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A backend's own rpm/tpm: the router's question "has this backend room?" answered locally and through Redis. */
class BackendQuotasTest {

    private final MutableClock clock = MutableClock.frozen(Instant.parse("2030-01-01T00:00:00Z"));

    private FleetCounters counters(boolean redis) {
        RedisSettings settings = redis
                ? new RedisSettings(URI.create(RedisServers.SHARED_URL), RedisServers.uniquePrefix(), Duration.ofSeconds(2)) : null;
        return new FleetCounters(settings, () -> 1, clock, new LimitMetrics(new SimpleMeterRegistry()), Duration.ofSeconds(1));
    }

    private static BackendConfig backend(Integer rpm, Integer tpm) {
        return new BackendConfig("b", "mock", "m", null, null, 1, 0, null, null, null, null, null, rpm, tpm);
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void aBackendAtItsRequestQuotaHasNoRoom(boolean redis) {
        try (FleetCounters counters = counters(redis)) {
            BackendQuotas quotas = new BackendQuotas(counters);
            BackendConfig b = backend(2, null);
            assertThat(quotas.tryAcquire(b, 10)).isTrue();
            assertThat(quotas.tryAcquire(b, 10)).isTrue();
            assertThat(quotas.tryAcquire(b, 10)).isFalse();
            assertThat(quotas.tryAcquire(backend(null, null), 10)).isTrue();
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void settlingTheRealTokenCountGivesRoomBack(boolean redis) {
        try (FleetCounters counters = counters(redis)) {
            BackendQuotas quotas = new BackendQuotas(counters);
            BackendConfig b = backend(null, 1000);
            assertThat(quotas.tryAcquire(b, 900)).isTrue();
            assertThat(quotas.tryAcquire(b, 200)).isFalse();
            quotas.settle(b, 900, 100);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> quotas.tryAcquire(b, 200));
        }
    }

    @ParameterizedTest(name = "redis={0}")
    @ValueSource(booleans = {false, true})
    void aRequestThatNeverWentUpstreamGivesBackItsRequestAndTokens(boolean redis) {
        try (FleetCounters counters = counters(redis)) {
            BackendQuotas quotas = new BackendQuotas(counters);
            BackendConfig b = backend(2, 1000);
            assertThat(quotas.tryAcquire(b, 900)).isTrue();
            assertThat(quotas.tryAcquire(b, 50)).isTrue();
            assertThat(quotas.tryAcquire(b, 50)).as("rpm used up").isFalse();
            quotas.refund(b, 900);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> quotas.tryAcquire(b, 900));
            assertThat(quotas.tryAcquire(b, 10)).as("the refunded request was taken again").isFalse();
        }
    }
}
