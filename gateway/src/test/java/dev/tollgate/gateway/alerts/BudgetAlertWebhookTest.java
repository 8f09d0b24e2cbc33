package dev.tollgate.gateway.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.MutableClock;
import dev.tollgate.gateway.testing.SharedPostgres;
import dev.tollgate.gateway.testing.TestGateways;
import dev.tollgate.gateway.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budget alert webhooks of a standalone gateway, driven by real requests to a fake OpenAI upstream: each request
 * costs $0.000028 (8 prompt tokens at $1/M, 10 completion tokens at $2/M), so key {@code tiny} ($0.0001 a day, alerts
 * at 25/50/100 %) crosses 25 % with the 1st request, 50 % with the 2nd and 100 % with the 4th.
 */
class BudgetAlertWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "sk-tg-alerts-tiny-1";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    final FakeOpenAiUpstream upstream = new FakeOpenAiUpstream().usage(8, 10, 0);
    final WebhookReceiver receiver = new WebhookReceiver();
    final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(Gateway::close);
        receiver.close();
        upstream.close();
    }

    private String yaml(String gatewayBlock, String alerts) {
        return gatewayBlock + """
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s,
                          pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                keys:
                  - { name: tiny, key: %s, budget: { amountUsd: 0.0001, period: daily, alertPercents: [25, 50, 100] } }
                alerts:
                  retryBackoff: { initial: 10ms, max: 20ms }
                %s""".formatted(upstream.baseUrl(), KEY, alerts);
    }

    private String webhooks() {
        return """
                  webhooks:
                    - { url: "%s", headers: { Authorization: "Bearer ${ALERT_TOKEN}" } }
                    - { url: "%s", format: slack, thresholds: [50, 100] }
                """.formatted(receiver.url("/json"), receiver.url("/slack"));
    }

    private Gateway start(String yaml) {
        Gateway g = Gateway.start(TestGateways.parse(yaml, Map.of("ALERT_TOKEN", "s3cret")), clock);
        gateways.add(g);
        return g;
    }

    private static int chat(Gateway g) throws IOException, InterruptedException {
        String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Requests until the budget refuses one; the count served. */
    private static int spendTheBudget(Gateway g) throws Exception {
        int served = 0;
        while (chat(g) == 200) {
            served++;
        }
        return served;
    }

    private static double deliveries(Gateway g, String outcome) {
        return g.metrics().scrape().lines()
                .filter(l -> l.startsWith("tollgate_alerts_deliveries_total{") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<Integer> thresholds(List<WebhookReceiver.Post> posts) {
        return posts.stream().map(p -> read(p.body()).path("thresholdPercent").asInt()).toList();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachThresholdIsDeliveredOnceToEachWebhookInItsFormatAndNotAgainAfterARestart() throws Exception {
        String yaml = yaml(TestGateways.gatewayBlock(dir), webhooks());
        Gateway g = start(yaml);
        assertThat(spendTheBudget(g)).isEqualTo(4);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(receiver.delivered("/json")).hasSize(3);
            assertThat(receiver.delivered("/slack")).hasSize(2);
        });
        assertThat(thresholds(receiver.delivered("/json"))).containsExactlyInAnyOrder(25, 50, 100);

        JsonNode full = receiver.delivered("/json").stream().map(p -> read(p.body()))
                .filter(b -> b.path("thresholdPercent").asInt() == 100).findFirst().orElseThrow();
        assertThat(full.path("id").asText()).isEqualTo("key:tiny:100:2030-01-15T00:00:00Z");
        assertThat(full.path("type").asText()).isEqualTo("budget.threshold_crossed");
        assertThat(full.path("source").asText()).isEqualTo("gateway");
        assertThat(full.path("scope").asText()).isEqualTo("key");
        assertThat(full.path("name").asText()).isEqualTo("tiny");
        assertThat(full.path("percentUsed").asInt()).isEqualTo(112);
        assertThat(full.path("spentUsd").asText()).isEqualTo("0.000112");
        assertThat(full.path("budgetUsd").asText()).isEqualTo("0.0001");
        assertThat(full.path("period").asText()).isEqualTo("daily");
        assertThat(full.path("periodStart").asText()).isEqualTo("2030-01-15T00:00:00Z");
        assertThat(full.path("periodEnd").asText()).isEqualTo("2030-01-16T00:00:00Z");
        assertThat(full.has("namespace")).isFalse();
        assertThat(receiver.delivered("/json")).allSatisfy(p -> {
            assertThat(p.idempotencyKey()).isEqualTo(read(p.body()).path("id").asText());
            assertThat(p.authorization()).isEqualTo("Bearer s3cret");
            assertThat(p.contentType()).isEqualTo("application/json");
        });

        List<JsonNode> slack = receiver.delivered("/slack").stream().map(p -> read(p.body())).toList();
        assertThat(slack).allSatisfy(b -> assertThat(b.properties()).extracting(Map.Entry::getKey).containsExactly("text"));
        assertThat(slack).extracting(b -> b.path("text").asText()).containsExactlyInAnyOrder(
                "Tollgate: key tiny reached 50% of its $0.0001 daily budget (spent $0.000056, resets 2030-01-16T00:00:00Z)",
                "Tollgate: key tiny reached 100% of its $0.0001 daily budget (spent $0.000112, resets 2030-01-16T00:00:00Z)");
        assertThat(receiver.delivered("/slack")).allSatisfy(p -> assertThat(p.authorization()).isNull());

        // a restart on the same ledger sees the same crossings, finds them claimed and sends nothing
        g.close();
        gateways.remove(g);
        Gateway restarted = start(yaml);
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(restarted, "already_claimed") == 5);
        assertThat(chat(restarted)).isEqualTo(429);
        assertThat(receiver.posts()).hasSize(5);
        assertThat(deliveries(restarted, "delivered")).isZero();

        // the next period starts over
        clock.advance(Duration.ofDays(1));
        assertThat(chat(restarted)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered("/json").size() == 4);
        assertThat(read(receiver.delivered("/json").getLast().body()).path("id").asText()).isEqualTo("key:tiny:25:2030-01-16T00:00:00Z");
    }

    @Test
    void aReceiverThatFailsTwiceStillGetsTheAlertOnce() throws Exception {
        receiver.failNext(2);
        Gateway g = start(yaml(TestGateways.gatewayBlock(dir), """
                  webhooks:
                    - { url: "%s", thresholds: [25] }
                """.formatted(receiver.url("/json"))));
        assertThat(chat(g)).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered("/json").size() == 1);
        assertThat(receiver.posts()).extracting(WebhookReceiver.Post::status).containsExactly(500, 500, 200);
        assertThat(receiver.posts()).extracting(WebhookReceiver.Post::idempotencyKey).containsOnly("key:tiny:25:2030-01-15T00:00:00Z");
        // the dispatcher counts the delivery after the receiver has answered it
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(g, "delivered") == 1);
        assertThat(deliveries(g, "failed")).isZero();
    }

    @Test
    void requestsCompleteWhileTheReceiverHangs() throws Exception {
        CountDownLatch release = receiver.hold();
        Gateway g = start(yaml(TestGateways.gatewayBlock(dir), webhooks()));
        assertThat(chat(g)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.held() == 1); // the 25 % alert is stuck in the receiver

        assertThat(spendTheBudget(g)).isEqualTo(3); // the rest of the budget, and a refusal, while the receiver hangs
        assertThat(receiver.held()).isGreaterThanOrEqualTo(1);
        assertThat(receiver.posts()).isEmpty();

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(receiver.delivered("/json")).hasSize(3);
            assertThat(receiver.delivered("/slack")).hasSize(2);
        });
    }

    @Test
    void podsSharingPostgresSendEachAlertOnce() throws Exception {
        String block = """
                gateway:
                  host: 127.0.0.1
                  port: 0
                  replicas: 2
                  database: { url: "%s", username: postgres }
                  ledger: { flushInterval: 50ms }
                """.formatted(SharedPostgres.newDatabase());
        String yaml = yaml(block, """
                  webhooks:
                    - { url: "%s" }
                """.formatted(receiver.url("/json")));
        Gateway first = start(yaml);
        Gateway second = start(yaml);
        assertThat(spendTheBudget(first)).isEqualTo(4);

        // the second pod sees the same crossings when it reads the ledger's totals; its claims lose
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(second, "already_claimed") == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.delivered("/json").size() == 3);
        assertThat(receiver.posts()).hasSize(3);
        assertThat(thresholds(receiver.posts())).containsExactlyInAnyOrder(25, 50, 100);
    }
}
