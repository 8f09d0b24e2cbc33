package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.config.KeyHashes;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/key/info}: a key reads its own spend, limits and budgets with its own key, and nothing else. */
class KeyInfoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "sk-tg-alice-key-000001";
    private static final String BOB = "sk-tg-bob-key-00000002";

    @TempDir
    static Path dir;
    static Gateway gateway;
    static Http http;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: chat
                    backends:
                      - name: mock-chat
                        provider: mock
                        model: mock-1
                        pricing: { inputPerMillion: 1, outputPerMillion: 2 }
                  - model: other
                    backends:
                      - { name: mock-other, provider: mock, model: mock-2, pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                teams:
                  - { name: red, budget: { amountUsd: 100, period: daily }, limits: { tpm: 100000 } }
                keys:
                  - name: alice
                    team: red
                    key: %s
                    models: [chat]
                    limits: { rpm: 60 }
                    budget: { amountUsd: 10, period: monthly }
                  - { name: bob, team: red, key: %s }
                """.formatted(ALICE, BOB));
        http = new Http(gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static BigDecimal call(String key) {
        HttpResponse<String> r = http.post("/v1/chat/completions", key, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow());
    }

    private static JsonNode info(String key) throws Exception {
        gateway.ledger().flush();
        HttpResponse<String> r = http.get("/v1/key/info", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void aKeyReadsItsOwnSpendLimitsAndBudgetsWithItsOwnKey() throws Exception {
        BigDecimal before = new BigDecimal(info(ALICE).get("spend").get("month_usd").asText());
        BigDecimal teamBefore = new BigDecimal(info(ALICE).get("team_budget").get("used_usd").asText());
        BigDecimal alice = call(ALICE);
        BigDecimal bob = call(BOB);

        JsonNode info = info(ALICE);

        assertThat(info.get("name").asText()).isEqualTo("alice");
        assertThat(info.get("team").asText()).isEqualTo("red");
        assertThat(info.get("models")).containsExactly(JSON.valueToTree("chat"));
        assertThat(info.get("limits").get("rpm").asInt()).isEqualTo(60);
        assertThat(info.get("limits").get("tpm").isNull()).isTrue();
        assertThat(info.get("team_limits").get("tpm").asInt()).isEqualTo(100000);
        assertThat(new BigDecimal(info.get("spend").get("month_usd").asText())).isEqualByComparingTo(before.add(alice));
        JsonNode budget = info.get("budget");
        assertThat(budget.get("limit_usd").asText()).isEqualTo("10");
        assertThat(new BigDecimal(budget.get("used_usd").asText())).isEqualByComparingTo(before.add(alice));
        assertThat(new BigDecimal(budget.get("remaining_usd").asText())).isEqualByComparingTo(BigDecimal.TEN.subtract(before.add(alice)));
        assertThat(budget.get("period").asText()).isEqualTo("monthly");
        assertThat(budget.get("reset_at").asText()).endsWith("-01T00:00:00Z");
        assertThat(new BigDecimal(info.get("team_budget").get("used_usd").asText()))
                .isEqualByComparingTo(teamBefore.add(alice).add(bob));
    }

    @Test
    void nothingOfOtherKeysAndNothingSecretIsShown() throws Exception {
        call(BOB);

        String alice = http.get("/v1/key/info", ALICE).body();
        JsonNode bob = info(BOB);

        assertThat(alice).doesNotContain("bob").doesNotContain(ALICE).doesNotContain(KeyHashes.hash(ALICE))
                .doesNotContain(ALICE.substring(ALICE.length() - 4));
        assertThat(bob.get("name").asText()).isEqualTo("bob");
        assertThat(bob.get("budget").isNull()).isTrue();
        assertThat(bob.get("models")).containsExactly(JSON.valueToTree("*"));
    }

    @Test
    void withoutAValidKeyItIsA401AndUnknownParametersA400() throws Exception {
        for (String key : new String[] {null, "sk-tg-not-a-key-123456", "sk-tg-admin-test-key"}) {
            HttpResponse<String> r = http.get("/v1/key/info", key);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("invalid_api_key");
        }
        HttpResponse<String> bad = http.get("/key/info?key=bob", ALICE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").get("param").asText()).isEqualTo("key");
    }
}
