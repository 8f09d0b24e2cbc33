package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal is a 4xx with OpenAI's error body, naming the field where one is at fault. */
class ErrorResponsesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-tg-errors-key-1";

    // One gateway for the whole class: every test sends its own requests and reads only their answers.
    @TempDir
    static Path dir;
    static Gateway gateway;
    static Http http;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir).replace("ledger:", "maxBodyBytes: 2048\n  ledger:") + """
                routes:
                  - model: m
                    backends: [{ name: mock, provider: mock, model: mock-1 }]
                keys:
                  - { name: k, key: %s }
                """.formatted(KEY));
        http = new Http(gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error).isNotNull();
        assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code")).isTrue();
        return error;
    }

    @Test
    void missingKeyIs401() throws Exception {
        HttpResponse<String> r = http.post("/v1/chat/completions", null, "{}");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).get("code").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void apiKeyHeaderIsAccepted() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/chat/completions")).header("api-key", KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400() throws Exception {
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, "{\"model\": \"m\", \"messages\": [");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void missingAndMistypedFieldsAreNamed() throws Exception {
        HttpResponse<String> missing = http.post("/v1/chat/completions", KEY, "{\"model\":\"m\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(error(missing).get("param").asText()).isEqualTo("messages");

        HttpResponse<String> wrongType = http.post("/v1/chat/completions", KEY, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(error(wrongType).get("param").asText()).isEqualTo("stream");

        HttpResponse<String> noModel = http.post("/v1/embeddings", KEY, "{\"input\":\"x\"}");
        assertThat(error(noModel).get("param").asText()).isEqualTo("model");
    }

    @Test
    void deeplyNestedJsonIs400() throws Exception {
        String deep = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + "[".repeat(200) + "]".repeat(200) + "}]}";
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, deep);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("nested");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4096) + "\"}]}";
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, big);
        assertThat(r.statusCode()).isEqualTo(413);
        error(r);
    }

    @Test
    void nonJsonContentTypeIs415() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/v1/chat/completions")).header("authorization", "Bearer " + KEY)
                .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build());
        assertThat(r.statusCode()).isEqualTo(415);
        error(r);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> unknown = http.get("/v1/nothing-here", KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        error(unknown);

        HttpResponse<String> wrongMethod = http.get("/v1/chat/completions", KEY);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        error(wrongMethod);
    }

    @Test
    void healthEndpointsAnswer() {
        assertThat(http.get("/health/liveness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = http.get("/health/readiness", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("x-request-id")).isPresent();
    }
}
