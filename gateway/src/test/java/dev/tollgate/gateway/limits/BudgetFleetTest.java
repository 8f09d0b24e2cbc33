package dev.tollgate.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.MutableClock;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budgets across three replicas sharing one PostgreSQL ledger: once spend passes the cap on one replica, every
 * replica refuses with 429 budget_exceeded after the next flush and refresh; the next period admits again.
 */
class BudgetFleetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    FakeOpenAiUpstream upstream;
    final List<Gateway> fleet = new ArrayList<>();

    @BeforeEach
    void start() {
        // 8 prompt tokens at $1/M + 10 completion tokens at $2/M = $0.000028 per request.
        upstream = new FakeOpenAiUpstream().usage(8, 10, 0);
        String yaml = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  replicas: 3
                  database: { url: "%s", username: postgres }
                  ledger: { flushInterval: 100ms }
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s,
                          pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                teams:
                  - { name: t1, budget: { amountUsd: 1, period: daily } }
                keys:
                  - { name: tiny, team: t1, key: sk-tg-budget-tiny-1, budget: { amountUsd: 0.0001, period: daily, alertPercents: [50, 100] } }
                """.formatted(SharedPostgres.newDatabase(), upstream.baseUrl());
        for (int i = 0; i < 3; i++) {
            fleet.add(Gateway.start(TestGateways.parse(yaml, Map.of()), clock));
        }
    }

    @AfterEach
    void stop() {
        fleet.forEach(Gateway::close);
        upstream.close();
    }

    private int status(Gateway g) throws Exception {
        return Clients.chat(g.port(), "sk-tg-budget-tiny-1", ",\"max_tokens\":10").statusCode();
    }

    @Test
    void firstRequestOverTheCapIsRefusedEverywhereAndTheNextPeriodAdmitsAgain() throws Exception {
        Gateway first = fleet.get(0);
        int served = 0;
        while (status(first) == 200) {
            served++;
        }
        assertThat(served).isEqualTo(4); // $0.000084 spent < $0.0001 admits a 4th; $0.000112 refuses the 5th

        HttpResponse<String> refused = Clients.chat(first.port(), "sk-tg-budget-tiny-1", "");
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
        assertThat(error.get("message").asText()).contains("key 'tiny'").contains("$0.000112").contains("$0.0001 daily")
                .contains("resets at 2030-01-16T00:00:00Z");
        assertThat(refused.headers().firstValue("retry-after").map(Long::parseLong))
                .hasValueSatisfying(s -> assertThat(s).isBetween(13 * 3600L, 14 * 3600L));

        for (Gateway other : fleet.subList(1, 3)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> status(other) == 429);
        }
        assertThat(first.metrics().scrape()).contains("tollgate_budget_alerts_total{name=\"tiny\",percent=\"50\",scope=\"key\"} 1.0")
                .contains("tollgate_budget_alerts_total{name=\"tiny\",percent=\"100\",scope=\"key\"} 1.0");

        clock.advance(Duration.ofDays(1));
        for (Gateway g : fleet) {
            assertThat(status(g)).isEqualTo(200);
        }
    }

    @Test
    void requestsInFlightCountAgainstTheCap() throws Exception {
        // Worst case of a request with max_tokens 50 is 8 * $1/M + 50 * $2/M = $0.000108: alone in flight it fills the cap.
        var hold = upstream.holdLastChunk();
        Gateway g = fleet.get(0);
        var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Clients.chat(g.port(), "sk-tg-budget-tiny-1", ",\"max_tokens\":50,\"stream\":true").statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.received().size() == 1);
        HttpResponse<String> second = Clients.chat(g.port(), "sk-tg-budget-tiny-1", ",\"max_tokens\":1");
        hold.countDown();
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(second.body()).at("/error/message").asText()).contains("in flight");
        assertThat(inFlight.get()).isEqualTo(200);
        assertThat(status(g)).isEqualTo(200); // the reservation was released down to the real $0.000028
    }
}
