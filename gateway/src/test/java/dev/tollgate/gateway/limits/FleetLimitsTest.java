package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.RedisServers;
import dev.tollgate.gateway.testing.SerialLanes;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateway replicas in one JVM sharing the real Redis on 127.0.0.1:6379 and one PostgreSQL: limits hold for
 * the fleet, not per replica. Without Redis each replica holds its own share.
 */
@ResourceLock(SerialLanes.MACHINE)
class FleetLimitsTest {

    FakeOpenAiUpstream upstream;
    final List<Gateway> fleet = new ArrayList<>();

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiUpstream().usage(8, 10, 0);
    }

    @AfterEach
    void stop() {
        fleet.forEach(Gateway::close);
        upstream.close();
    }

    private void startFleet(String limits, boolean redis) {
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  replicas: 3
                  database: { url: "%s", username: postgres }
                  ledger: { flushInterval: 100ms }
                %s
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s }
                keys:
                  - { name: app, key: sk-tg-fleet-app-1, limits: %s }
                """.formatted(SharedPostgres.newDatabase(),
                redis ? "  redis: { url: \"" + RedisServers.SHARED_URL + "\", keyPrefix: \"" + RedisServers.uniquePrefix() + "\" }" : "",
                upstream.baseUrl(), limits);
        for (int i = 0; i < 3; i++) {
            Gateway g = Gateway.start(TestGateways.parse(yaml, java.util.Map.of()), java.time.Clock.systemUTC());
            fleet.add(g);
            assertThat(g.limits().shared()).isEqualTo(redis);
        }
    }

    /** Sends {@code perReplica} requests to each replica from {@code threads} threads; returns the status codes. */
    private List<Integer> send(int perReplica, int threads, String extra) throws Exception {
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < perReplica; i++) {
            for (Gateway g : fleet) {
                calls.add(() -> Clients.chat(g.port(), "sk-tg-fleet-app-1", extra).statusCode());
            }
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        }
        return statuses;
    }

    @Test
    void sixtyRequestsPerMinuteMeansExactlySixtyAcrossThreeReplicas() throws Exception {
        startFleet("{ rpm: 60 }", true);
        List<Integer> statuses = send(40, 12, "");
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(60);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(60);
        assertThat(upstream.received()).hasSize(60);
    }

    @Test
    void tokensPerMinuteHoldWithinFivePercentAcrossThreeReplicas() throws Exception {
        startFleet("{ tpm: 3000 }", true);
        // Estimate per request: 8 prompt tokens + max_tokens 20 = 28; real usage 8 + 10 = 18, settled afterwards.
        List<Integer> statuses = send(100, 6, ",\"max_tokens\":20");
        long served = statuses.stream().filter(s -> s == 200).count();
        long realTokens = served * 18;
        assertThat(realTokens).isBetween((long) (3000 * 0.95), 3000L);
        assertThat(statuses).filteredOn(s -> s == 429).isNotEmpty();
    }

    @Test
    void fourInFlightHoldUnderFiftyConcurrentCallers() throws Exception {
        upstream.chunkDelayMillis(25);
        startFleet("{ parallel: 4 }", true);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Gateway g = fleet.get(i % 3);
            calls.add(() -> {
                int ok = 0;
                for (int r = 0; r < 4; r++) {
                    if (Clients.chat(g.port(), "sk-tg-fleet-app-1", ",\"stream\":true").statusCode() == 200) {
                        ok++;
                    }
                }
                return ok;
            });
        }
        int served = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                served += f.get();
            }
        }
        assertThat(upstream.maxInFlight()).isBetween(2, 4);
        assertThat(served).isGreaterThanOrEqualTo(4).isLessThan(200);
    }

    @Test
    void withoutRedisEachReplicaHoldsItsShare() throws Exception {
        startFleet("{ rpm: 60 }", false);
        for (Gateway g : fleet) {
            int ok = 0;
            for (int i = 0; i < 30; i++) {
                if (Clients.chat(g.port(), "sk-tg-fleet-app-1", "").statusCode() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(20);
        }
    }
}
