package dev.tollgate.gateway.pricing;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend with no pricing of its own, serving a catalogued model by a dated snapshot name, is charged the catalog's
 * price to the picodollar, and that spend counts against the key's budget (it used to be $0, and the budget never
 * stopped it).
 */
class CatalogPriceChargeTest {

    private static final String CHAT = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;
    FakeOpenAiUpstream upstream;
    Gateway gateway;

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiUpstream().usage(1_234, 567, 200);
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: chat
                    backends:
                      - name: openai-main
                        provider: openai
                        model: gpt-4o-2024-08-06
                        baseUrl: %s
                        apiKey: sk-upstream
                keys:
                  - name: app
                    key: sk-tg-app-key-1234
                    budget: { amountUsd: 0.008, period: monthly }
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void catalogedModelIsChargedTheCatalogPriceToThePicodollarAndMeetsTheBudget() throws Exception {
        HttpResponse<String> first = new Http(gateway.port()).post("/v1/chat/completions", "sk-tg-app-key-1234", CHAT);

        assertThat(first.statusCode()).isEqualTo(200);
        // gpt-4o: 2.50 input, 1.25 cached input, 10.00 output per million tokens (catalog of 2026-09-23)
        // (1,034 × 2.50 + 200 × 1.25 + 567 × 10.00) / 10^6 = (2,585 + 250 + 5,670) / 10^6 USD = 8,505,000,000 picodollars
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.costUsd()).isEqualByComparingTo("0.008505");
        assertThat(row.costUsd().movePointRight(12).longValueExact()).isEqualTo(8_505_000_000L);
        assertThat(first.headers().firstValue("x-tollgate-cost-usd")).hasValueSatisfying(v -> assertThat(v).isEqualTo("0.008505"));

        HttpResponse<String> second = new Http(gateway.port()).post("/v1/chat/completions", "sk-tg-app-key-1234", CHAT);

        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("budget");
        assertThat(upstream.received()).hasSize(1);
    }
}
