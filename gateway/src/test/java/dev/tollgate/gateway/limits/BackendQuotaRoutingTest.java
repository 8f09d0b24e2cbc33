package dev.tollgate.gateway.limits;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A backend at its own rpm quota is skipped by the router and the request served by the next one, not failed. */
class BackendQuotaRoutingTest {

    @TempDir
    Path dir;
    final FakeOpenAiUpstream preferred = new FakeOpenAiUpstream();
    final FakeOpenAiUpstream spare = new FakeOpenAiUpstream();
    Gateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        preferred.close();
        spare.close();
    }

    @Test
    void aBackendAtItsQuotaIsSkipped() throws Exception {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt-4o-mini
                    strategy: priority
                    backends:
                      - { name: preferred, provider: openai, model: gpt-4o-mini, baseUrl: %s, priority: 0, rpm: 2 }
                      - { name: spare, provider: openai, model: gpt-4o-mini, baseUrl: %s, priority: 1 }
                keys:
                  - { name: app, key: sk-tg-quota-app-1 }
                """.formatted(preferred.baseUrl(), spare.baseUrl()));
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = Clients.chat(gateway.port(), "sk-tg-quota-app-1", "");
            assertThat(r.statusCode()).isEqualTo(200);
            servedBy.add(r.headers().firstValue("x-tollgate-backend").orElseThrow());
        }
        assertThat(servedBy).containsExactly("preferred", "preferred", "spare", "spare");
        assertThat(preferred.received()).hasSize(2);
    }
}
