package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.testing.RawHttp;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every limit refuses with a 4xx and OpenAI's error body, including refusals Jetty makes on its own. */
class HardenedInputTest {

    private static final String KEY = "Authorization: Bearer sk-tg-app-key-1234\r\n";
    private static final String JSON = "Content-Type: application/json\r\n";

    @TempDir
    Path dir;
    Gateway gateway;
    RawHttp api;
    RawHttp management;

    @BeforeEach
    void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                  maxBodyBytes: 2048
                  security: { managementPort: 0, maxHeaderBytes: 4096, maxHeaders: 30, authFailuresPerMinute: 3 }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m } ]
                keys:
                  - { name: app, key: sk-tg-app-key-1234 }
                """);
        api = new RawHttp(gateway.port());
        management = new RawHttp(gateway.managementPort());
    }

    @AfterEach
    void stop() {
        api.close();
        management.close();
        gateway.close();
    }

    private static JsonNode error(RawHttp.Response r) throws Exception {
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        JsonNode error = Json.MAPPER.readTree(r.body()).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    private RawHttp.Response chat(String extraHeaders, String body) throws Exception {
        return api.send(RawHttp.request("POST", "/v1/chat/completions", KEY + extraHeaders, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aValidRequestStillWorks() throws Exception {
        assertThat(chat(JSON, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(200);
    }

    @Test
    void nearMissKeysAreRefusedEvenAfterTheValidKeyOnTheSameConnection() throws Exception {
        assertThat(chat(JSON, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(200);
        for (String key : new String[] {"SK-TG-APP-KEY-1234", "sk-tg-app-key-123", "Sk-tg-app-key-1234"}) {
            RawHttp.Response r = api.send(RawHttp.request("POST", "/v1/chat/completions", "Authorization: Bearer " + key + "\r\n" + JSON,
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).as(key).isEqualTo(401);
        }
    }

    @Test
    void oversizedHeadersAreRefusedByJettyWithJson() throws Exception {
        RawHttp.Response r = chat(JSON + "X-Big: " + "a".repeat(8000) + "\r\n", "{}");
        assertThat(r.status()).isEqualTo(431);
        assertThat(error(r).get("code").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void tooManyHeadersAreRefused() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        RawHttp.Response r = chat(JSON + many, "{}");
        assertThat(r.status()).isEqualTo(431);
        assertThat(error(r).get("code").asText()).isEqualTo("headers_too_large");
    }

    @Test
    void overlongUriAndBrokenRequestLineGetJsonErrors() throws Exception {
        RawHttp.Response longUri = api.send(RawHttp.request("GET", "/v1/models?x=" + "a".repeat(10_000), KEY, null));
        assertThat(longUri.status()).isBetween(400, 499);
        error(longUri);
        RawHttp.Response broken = api.send("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(broken.status()).isEqualTo(400);
        error(broken);
    }

    @Test
    void bodyLimitsDepthAndContentTypeAreEnforced() throws Exception {
        assertThat(chat(JSON, "{\"model\":\"m\",\"x\":\"" + "a".repeat(3000) + "\"}").status()).isEqualTo(413);
        String deep = "[".repeat(100) + "]".repeat(100);
        RawHttp.Response r = chat(JSON, "{\"model\":\"m\",\"messages\":" + deep + "}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("nested deeper");
        RawHttp.Response text = chat("Content-Type: text/plain\r\n", "{}");
        assertThat(text.status()).isEqualTo(415);
        error(text);
    }

    @Test
    void adminAndMetricsLiveOnlyOnTheManagementPortAndAdminNeedsTheAdminKey() throws Exception {
        assertThat(api.send(RawHttp.request("GET", "/metrics", "", null)).status()).isEqualTo(404);
        assertThat(api.send(RawHttp.request("GET", "/admin/spend", "Authorization: Bearer sk-tg-admin-test-key\r\n", null)).status()).isEqualTo(404);
        assertThat(management.send(RawHttp.request("GET", "/metrics", "", null)).status()).isEqualTo(200);
        assertThat(management.send(RawHttp.request("GET", "/v1/models", KEY, null)).status()).isEqualTo(404);
        RawHttp.Response noKey = management.send(RawHttp.request("GET", "/admin/spend", "", null));
        assertThat(noKey.status()).isEqualTo(401);
        error(noKey);
        assertThat(management.send(RawHttp.request("GET", "/admin/spend", KEY, null)).status()).isEqualTo(403);
        assertThat(management.send(RawHttp.request("GET", "/admin/spend", "Authorization: Bearer sk-tg-admin-test-key\r\n", null)).status()).isEqualTo(200);
    }

    @Test
    void repeatedAuthenticationFailuresFromOneAddressAreThrottledButNeverItsValidKeysOrHealthChecks() throws Exception {
        String bad = "Authorization: Bearer sk-tg-wrong-key-9999\r\n";
        for (int i = 0; i < 3; i++) {
            assertThat(api.send(RawHttp.request("GET", "/v1/models", bad, null)).status()).isEqualTo(401);
        }
        RawHttp.Response throttled = api.send(RawHttp.request("GET", "/v1/models", bad, null));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(error(throttled).get("code").asText()).isEqualTo("too_many_auth_failures");
        assertThat(throttled.headers()).containsKey("retry-after");
        RawHttp.Response noKey = api.send(RawHttp.request("POST", "/v1/messages", JSON, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(noKey.status()).as("the Messages API is throttled the same way").isEqualTo(429);
        // behind an ingress every client shares the address: a valid key and health checks are still served
        assertThat(api.send(RawHttp.request("GET", "/v1/models", KEY, null)).status()).isEqualTo(200);
        assertThat(chat(JSON + KEY, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").status()).isEqualTo(200);
        assertThat(api.send(RawHttp.request("GET", "/health/readiness", "", null)).status()).isEqualTo(200);
        assertThat(api.send(RawHttp.request("GET", "/health/liveness", "", null)).status()).isEqualTo(200);
        assertThat(management.send(RawHttp.request("GET", "/admin/spend", "Authorization: Bearer sk-tg-admin-test-key\r\n", null)).status())
                .isEqualTo(200);
        String metrics = management.send(RawHttp.request("GET", "/metrics", "", null)).body();
        assertThat(metrics).contains("tollgate_auth_failures_total 5.0").contains("tollgate_auth_throttled_total 2.0");
    }
}
