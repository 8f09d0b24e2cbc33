package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What error bodies tell a client: a malformed-JSON 400 says where the JSON breaks without the parser's internals; a
 * 502 carries the upstream's own message with the gateway's credentials removed.
 */
class ErrorBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-tg-errors-key-0001";
    private static final String UPSTREAM_KEY = "sk-openai-upstream-secret-4711";

    @TempDir
    static Path dir;
    static FakeUpstream upstream;
    static Gateway gateway;
    static Http http;

    @BeforeAll
    static void start() {
        upstream = new FakeUpstream();
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt
                    retries: 0
                    backends:
                      - { name: openai-main, provider: openai, model: gpt-4.1, baseUrl: %s/v1, apiKey: %s,
                          pricing: { inputPerMillion: 2, outputPerMillion: 8 } }
                keys:
                  - { name: app, key: %s }
                """.formatted(upstream.baseUrl(), UPSTREAM_KEY, KEY));
        http = new Http(gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"model\":\"gpt\", /* a comment */ \"messages\":[]}",
            "{'model':'gpt'}",
            "{\"model\":\"gpt\",\"temperature\":NaN}",
            "{\"model\":\"gpt\",\"n\":01}",
            "{\"model\":\"gpt\",}",
            "{\"model\":\"gp\nt\"}",
            "{\"model\":\"gpt\"",
            "[1,2",
            "nul",
    })
    void malformedJsonIsA400WithoutTheParsersInternals(String body) throws Exception {
        for (String path : new String[] {"/v1/chat/completions", "/v1/messages", "/v1/responses"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri(path)).header("content-type", "application/json")
                    .header("authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build());

            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
            String message = JSON.readTree(r.body()).get("error").get("message").asText();
            assertThat(message).as(path).startsWith("We could not parse the JSON body of your request.")
                    .doesNotContainIgnoringCase("jackson").doesNotContainIgnoringCase("feature").doesNotContain("ALLOW_")
                    .doesNotContain("com.fasterxml").doesNotContain("StreamReadConstraints").doesNotContain("code 39")
                    .doesNotContain("JsonParser");
        }
    }

    @Test
    void malformedJsonSaysWhereItBreaks() throws Exception {
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, "{\n  \"model\": \"gpt\",\n  \"messages\": [}\n}");

        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).endsWith("at line 3, column 16.");
    }

    @Test
    void anUpstreamServerErrorIsA502WithItsMessageAndNoCredential() throws Exception {
        upstream.respond(req -> Reply.json(500, "{\"error\":{\"message\":\"The server had an error processing the request "
                + "for key " + UPSTREAM_KEY + " (Authorization: Bearer " + UPSTREAM_KEY + ")\",\"type\":\"server_error\"}}"));

        JsonNode error = chatError(502);

        assertThat(error.get("code").asText()).isEqualTo("upstream_error");
        assertThat(error.get("message").asText())
                .contains("Backend 'openai-main' failed upstream (HTTP 500): The server had an error processing the request")
                .contains("[redacted]")
                .doesNotContain(UPSTREAM_KEY).doesNotContain("4711");
    }

    @Test
    void anUpstreamRefusingTheGatewaysKeyIsA502WithItsScrubbedMessage() throws Exception {
        upstream.respond(req -> Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + UPSTREAM_KEY
                + ". You can find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}"));

        JsonNode error = chatError(502);

        assertThat(error.get("code").asText()).isEqualTo("upstream_auth_failed");
        assertThat(error.get("message").asText()).contains("Incorrect API key provided: [redacted]")
                .doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void aVeryLongUpstreamMessageIsCut() throws Exception {
        upstream.respond(req -> Reply.json(503, "{\"error\":{\"message\":\"" + "overloaded ".repeat(500) + "\"}}"));

        assertThat(chatError(502).get("message").asText().length()).isLessThan(1_200);
    }

    private static JsonNode chatError(int status) throws Exception {
        HttpResponse<String> r = http.post("/v1/chat/completions", KEY, "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body()).get("error");
    }
}
