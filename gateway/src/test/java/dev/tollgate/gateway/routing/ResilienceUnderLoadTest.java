package dev.tollgate.gateway.routing;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream.Mode;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Many requests against flaky backends, and a circuit breaker seen from the outside. */
class ResilienceUnderLoadTest {

    private static final String SERVER_ERROR = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private FakeOpenAiUpstream upstream() {
        FakeOpenAiUpstream u = new FakeOpenAiUpstream();
        open.add(u);
        return u;
    }

    private static String backend(String name, String url, int priority) {
        return "      - { name: %s, provider: openai, model: gpt-4o-mini, baseUrl: %s, priority: %d, pricing: { inputPerMillion: 1, outputPerMillion: 2 } }\n"
                .formatted(name, url, priority);
    }

    /**
     * Three backends, each failing 30 % of the requests it gets (seeded, so the run is repeatable); the route makes 3
     * attempts and the client, like the OpenAI SDKs, makes up to 3 attempts of its own. Without the gateway's retries
     * about 27 of 1,000 requests would fail even with the client's attempts (0.3³ per client attempt); with them none do.
     * The ledger has one row per client request, and exactly the answers the upstreams billed carry tokens.
     */
    @Test
    void threeBackendsFailing30PercentServeEveryOneOf1000Requests() {
        List<FakeOpenAiUpstream> upstreams = List.of(upstream(), upstream(), upstream());
        for (int i = 0; i < 3; i++) {
            upstreams.get(i).failWith(500, SERVER_ERROR, null).mode(Mode.OK).failRandomly(0.3, 1000 + i);
        }
        RoutingHarness gateway = new RoutingHarness(dir, "routes:\n  - model: main\n    strategy: priority\n    retries: 2\n"
                + "    backoff: { initial: 1ms, max: 2ms }\n    circuitBreaker: { failureThreshold: 0 }\n    backends:\n"
                + backend("a", upstreams.get(0).baseUrl(), 0) + backend("b", upstreams.get(1).baseUrl(), 1)
                + backend("c", upstreams.get(2).baseUrl(), 2));
        open.add(gateway);
        int clientErrors = 0;
        int gatewayErrors = 0;
        for (int i = 0; i < 1000; i++) {
            HttpResponse<String> r = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                r = gateway.chat("main", i % 2 == 0);
                if (r.statusCode() == 200) {
                    break;
                }
                gatewayErrors++;
            }
            if (r.statusCode() != 200) {
                clientErrors++;
            }
        }
        assertThat(clientErrors).isZero();
        int billed = upstreams.stream().mapToInt(FakeOpenAiUpstream::answered).sum();
        int upstreamCalls = upstreams.stream().mapToInt(u -> u.received().size()).sum();
        assertThat(upstreamCalls).as("failures were retried").isGreaterThan(1300);
        assertThat(billed).isEqualTo(1000);
        int expectedRows = 1000 + gatewayErrors;
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.ledger().size() == expectedRows);
        List<RoutingHarness.Row> rows = gateway.ledger();
        assertThat(rows).allSatisfy(r -> assertThat(r.parentRequestId()).isNull());
        assertThat(rows.stream().filter(r -> r.completionTokens() > 0)).hasSize(billed);
        assertThat(rows.stream().filter(r -> r.status() != 200))
                .hasSize(expectedRows - 1000)
                .allSatisfy(r -> assertThat(r.promptTokens() + r.completionTokens() + r.costPico()).isZero());
    }

    @Test
    void breakerOpensSkipsTheBackendAndClosesAfterTheCooldown() throws Exception {
        FakeOpenAiUpstream primary = upstream().failWith(500, SERVER_ERROR, null);
        FakeOpenAiUpstream secondary = upstream();
        MutableClock clock = new MutableClock(Instant.now());
        Gateway gateway = Gateway.start(TestGateways.parse(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: main
                    strategy: priority
                    circuitBreaker: { failureThreshold: 3, cooldown: 30s, halfOpenProbes: 1 }
                    backends:
                %s
                keys:
                  - { name: app, key: %s }
                """.formatted(backend("primary", primary.baseUrl(), 0) + backend("secondary", secondary.baseUrl(), 1),
                RoutingHarness.KEY), Map.of()), clock);
        open.add(gateway);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + RoutingHarness.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"main\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        for (int i = 0; i < 3; i++) {
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(502);
        }
        assertThat(gateway.metrics().scrape()).contains("resilience4j_circuitbreaker_state{name=\"primary\",state=\"open\"} 1.0");

        primary.succeed();
        HttpResponse<String> skipped = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(skipped.headers().firstValue("x-tollgate-backend")).hasValue("secondary");
        assertThat(primary.received()).hasSize(3);

        clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> probe = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(probe.headers().firstValue("x-tollgate-backend")).hasValue("primary");
        assertThat(gateway.metrics().scrape()).contains("resilience4j_circuitbreaker_state{name=\"primary\",state=\"closed\"} 1.0");
        HttpResponse<String> back = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(back.headers().firstValue("x-tollgate-backend")).hasValue("primary");
    }

    @Test
    void slowBackendIsAvoidedByTheLowestLatencyStrategy() {
        FakeOpenAiUpstream slow = upstream().mode(Mode.SLOW_FIRST_CHUNK).firstChunkDelayMillis(300);
        FakeOpenAiUpstream quick = upstream();
        RoutingHarness gateway = new RoutingHarness(dir, "routes:\n  - model: main\n    strategy: lowest-latency\n    backends:\n"
                + backend("slow", slow.baseUrl(), 0) + backend("quick", quick.baseUrl(), 0));
        open.add(gateway);
        for (int i = 0; i < 20; i++) {
            assertThat(gateway.chat("main", true).statusCode()).isEqualTo(200);
        }
        assertThat(slow.received()).as("measured once, then avoided").hasSize(1);
        assertThat(quick.received()).hasSize(19);
    }
}
