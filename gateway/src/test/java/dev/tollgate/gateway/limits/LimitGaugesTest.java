package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Remaining budget and rate-limit headroom per key and team, in a standalone gateway, plus the ledger lag gauge. */
class LimitGaugesTest {

    private static final String ALICE = "sk-tg-gauges-alice-0001";

    @TempDir
    Path dir;
    private Gateway gateway;
    private Http http;

    @BeforeEach
    void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: chat
                    backends:
                      - { name: mock-chat, provider: mock, model: mock-1, pricing: { inputPerMillion: 1000, outputPerMillion: 2000 } }
                teams:
                  - { name: red, budget: { amountUsd: 5, period: monthly }, limits: { tpm: 100000 } }
                keys:
                  - { name: alice, team: red, key: %s, budget: { amountUsd: 2, period: monthly }, limits: { rpm: 5, parallel: 3 } }
                """.formatted(ALICE));
        http = new Http(gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void budgetAndRateLimitGaugesFollowTheKeysSpendAndRequests() throws Exception {
        BigDecimal spent = BigDecimal.ZERO;
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = http.post("/v1/chat/completions", ALICE, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(r.statusCode()).isEqualTo(200);
            spent = spent.add(new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow()));
        }
        assertThat(spent).isPositive();
        gateway.ledger().flush();
        String metrics = gateway.metrics().scrape();

        assertThat(value(metrics, "tollgate_budget_remaining_usd{name=\"alice\",scope=\"key\"}"))
                .isCloseTo(2 - spent.doubleValue(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(value(metrics, "tollgate_budget_remaining_usd{name=\"red\",scope=\"team\"}"))
                .isCloseTo(5 - spent.doubleValue(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(value(metrics, "tollgate_budget_spent_ratio{name=\"alice\",scope=\"key\"}"))
                .isCloseTo(spent.doubleValue() / 2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(value(metrics, "tollgate_ratelimit_limit{limit=\"rpm\",name=\"alice\",scope=\"key\"}")).isEqualTo(5);
        assertThat(value(metrics, "tollgate_ratelimit_remaining{limit=\"rpm\",name=\"alice\",scope=\"key\"}")).isEqualTo(3);
        assertThat(value(metrics, "tollgate_ratelimit_remaining{limit=\"parallel\",name=\"alice\",scope=\"key\"}"))
                .as("as the second admission saw it, itself in flight").isEqualTo(2);
        assertThat(value(metrics, "tollgate_ratelimit_limit{limit=\"tpm\",name=\"red\",scope=\"team\"}")).isEqualTo(100000);
        assertThat(value(metrics, "tollgate_ratelimit_remaining{limit=\"tpm\",name=\"red\",scope=\"team\"}")).isBetween(1.0, 99999.0);
        await().atMost(Duration.ofSeconds(5)).until(() -> value(gateway.metrics().scrape(), "tollgate_ledger_lag_seconds") == 0);
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
