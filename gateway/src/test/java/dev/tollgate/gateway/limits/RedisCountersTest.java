package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.RedisSettings;
import dev.tollgate.gateway.testing.RedisServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lua scripts against the real Redis on 127.0.0.1:6379, each test under its own key prefix. */
class RedisCountersTest {

    private final RedisCounters redis = new RedisCounters(new RedisSettings(URI.create(RedisServers.SHARED_URL),
            RedisServers.uniquePrefix(), Duration.ofSeconds(2)));

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void concurrentAdmissionsNeverExceedTheLimit() throws Exception {
        LimitAsk ask = new LimitAsk("key:a", 25, null, null, 0);
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String lease = "l" + i;
            calls.add(() -> redis.acquire(List.of(ask), lease, 60_000).allowed());
        }
        int admitted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                admitted += f.get() ? 1 : 0;
            }
        }
        assertThat(admitted).isEqualTo(25);
        LimitOutcome refused = redis.acquire(List.of(ask), "x", 60_000);
        assertThat(refused.kind()).isEqualTo(LimitKind.RPM);
        assertThat(refused.retryAfterMillis()).isBetween(1L, 61_000L);
    }

    @Test
    void aRefusalByTheTeamTakesNothingFromTheKey() {
        LimitAsk key = new LimitAsk("key:a", 5, 100, null, 10);
        LimitAsk team = new LimitAsk("team:t", null, 15, null, 10);
        assertThat(redis.acquire(List.of(key, team), "1", 60_000).allowed()).isTrue();
        LimitOutcome refused = redis.acquire(List.of(key, team), "2", 60_000);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refused()).isEqualTo(1);
        assertThat(refused.kind()).isEqualTo(LimitKind.TPM);
        LimitOutcome keyAlone = redis.acquire(List.of(key), "3", 60_000);
        assertThat(keyAlone.usage().getFirst().usedRequests()).isEqualTo(2);
        assertThat(keyAlone.usage().getFirst().usedTokens()).isEqualTo(20);
    }

    @Test
    void releaseReturnsTheLeaseAndCorrectsTokens() throws Exception {
        LimitAsk ask = new LimitAsk("key:a", null, 2000, 1, 800);
        LimitOutcome first = redis.acquire(List.of(ask), "a", 60_000);
        assertThat(first.allowed()).isTrue();
        assertThat(redis.acquire(List.of(ask), "b", 60_000).kind()).isEqualTo(LimitKind.PARALLEL);
        redis.releaseAsync(first.hold(), 50 - 800, false).toCompletableFuture().get();
        LimitOutcome second = redis.acquire(List.of(ask), "c", 60_000);
        assertThat(second.allowed()).isTrue();
        assertThat(second.usage().getFirst().usedTokens()).isEqualTo(850);
        assertThat(second.usage().getFirst().inFlight()).isEqualTo(1);
    }

    @Test
    void aLeaseOfADeadPodExpires() throws Exception {
        LimitAsk ask = new LimitAsk("key:a", null, null, 1, 0);
        assertThat(redis.acquire(List.of(ask), "dead", 1000).allowed()).isTrue();
        assertThat(redis.acquire(List.of(ask), "next", 1000).allowed()).isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> redis.acquire(List.of(ask), "next", 1000).allowed());
    }
}
