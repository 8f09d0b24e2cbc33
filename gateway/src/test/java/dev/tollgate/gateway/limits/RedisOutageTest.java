package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.RedisServers;
import dev.tollgate.gateway.testing.SerialLanes;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis killed mid-test: replicas keep serving under per-pod shares; Redis back: limits are shared again. */
@ResourceLock(SerialLanes.MACHINE)
class RedisOutageTest {

    @TempDir
    Path dir;
    final FakeOpenAiUpstream upstream = new FakeOpenAiUpstream();
    final List<Gateway> fleet = new ArrayList<>();
    Process redis;
    final int port = RedisServers.freePort();

    @AfterEach
    void stop() {
        fleet.forEach(Gateway::close);
        upstream.close();
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    private int served(Gateway g, int requests) throws Exception {
        int ok = 0;
        for (int i = 0; i < requests; i++) {
            int status = Clients.chat(g.port(), "sk-tg-outage-app-1", "").statusCode();
            assertThat(status).isIn(200, 429);
            ok += status == 200 ? 1 : 0;
        }
        return ok;
    }

    @Test
    void replicasFallBackToTheirShareAndShareAgainWhenRedisIsBack() throws Exception {
        redis = RedisServers.start(port, dir);
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  replicas: 3
                  database: { url: "%s", username: postgres }
                  redis: { url: "redis://127.0.0.1:%d", timeout: 200ms }
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s }
                keys:
                  - { name: app, key: sk-tg-outage-app-1, limits: { rpm: 30 } }
                """.formatted(SharedPostgres.newDatabase(), port, upstream.baseUrl());
        for (int i = 0; i < 3; i++) {
            fleet.add(Gateway.start(TestGateways.parse(yaml, Map.of()), Clock.systemUTC()));
        }
        assertThat(fleet).allSatisfy(g -> assertThat(g.limits().shared()).isTrue());
        assertThat(served(fleet.get(0), 3)).isEqualTo(3);

        RedisServers.kill(redis, port);
        for (Gateway g : fleet) {
            assertThat(served(g, 15)).isEqualTo(10); // its share of 30 across 3 replicas, counted locally
            assertThat(g.limits().shared()).isFalse();
            assertThat(g.metrics().scrape()).contains("tollgate_limits_redis_up 0.0").contains("tollgate_limits_redis_fallbacks_total 1.0");
        }

        redis = RedisServers.start(port, dir); // empty: no counters, no cached scripts
        await().atMost(Duration.ofSeconds(15)).until(() -> fleet.stream().allMatch(g -> g.limits().shared()));
        int total = 0;
        for (Gateway g : fleet) {
            total += served(g, 20);
        }
        assertThat(total).isEqualTo(30); // one shared window again, not three shares
        assertThat(fleet.get(0).metrics().scrape()).contains("tollgate_limits_redis_up 1.0");
    }
}
