package dev.tollgate.gateway.content;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.testing.CapturedLogs;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.RawHttp;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Content policy off / redacted / full per key, and a full run whose logs hold no key and no prompt. */
class ContentLoggingTest {

    private static final String PROMPT = "My card is 4111 1111 1111 1111 and my mail is zoe@example.com, PROMPT-MARKER-7f3a";

    @TempDir
    Path dir;

    private static byte[] chat(String model, boolean stream) {
        return ("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachKeyGetsItsPolicyAndNothingSecretReachesTheLogs() throws Exception {
        String logs;
        Map<String, String[]> rows;
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream(); CapturedLogs captured = new CapturedLogs()) {
            try (Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                    routes:
                      - model: gpt
                        backends: [ { name: up, provider: openai, model: gpt-4o-mini, baseUrl: %s, apiKey: sk-upstream-provider-secret-123 } ]
                      - model: m
                        backends: [ { name: mock, provider: mock, model: m } ]
                    keys:
                      - { name: quiet, key: sk-tg-quiet-key-000001 }
                      - { name: masked, key: sk-tg-masked-key-00001, contentLogging: redacted }
                      - { name: verbatim, key: sk-tg-verbatim-key-001, contentLogging: full }
                    """.formatted(upstream.baseUrl()));
                 RawHttp http = new RawHttp(gateway.port())) {
                for (String key : new String[] {"sk-tg-quiet-key-000001", "sk-tg-masked-key-00001", "sk-tg-verbatim-key-001"}) {
                    for (boolean stream : new boolean[] {false, true}) {
                        for (String model : new String[] {"gpt", "m"}) {
                            RawHttp.Response r = http.send(RawHttp.request("POST", "/v1/chat/completions",
                                    "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\n", chat(model, stream)));
                            assertThat(r.status()).as(key + " " + model).isEqualTo(200);
                        }
                    }
                }
                // failures log too: a wrong key, a bad body
                http.send(RawHttp.request("POST", "/v1/chat/completions", "Authorization: Bearer sk-tg-quiet-key-000002\r\nContent-Type: application/json\r\n", chat("m", false)));
                http.send(RawHttp.request("POST", "/v1/chat/completions", "Authorization: Bearer sk-tg-quiet-key-000001\r\nContent-Type: application/json\r\n",
                        ("{\"model\":\"m\",\"messages\":" + PROMPT + "}").getBytes(StandardCharsets.UTF_8)));
                await().atMost(Duration.ofSeconds(10)).until(() -> contentRows().size() == 8);
            }
            rows = contentRows();
            logs = captured.text();
        }
        assertThat(rows.values()).extracting(r -> r[0]).containsOnly("masked", "verbatim");
        rows.values().stream().filter(r -> r[0].equals("masked")).forEach(r -> {
            assertThat(r[1]).doesNotContain("4111 1111 1111 1111").doesNotContain("zoe@example.com")
                    .contains("[REDACTED:CARD]").contains("[REDACTED:EMAIL]").contains("PROMPT-MARKER-7f3a");
        });
        rows.values().stream().filter(r -> r[0].equals("verbatim")).forEach(r -> assertThat(r[1]).contains(PROMPT));
        assertThat(rows.values()).allSatisfy(r -> assertThat(r[2]).as("response text").isNotBlank());

        assertThat(logs).isNotBlank()
                .doesNotContain("sk-tg-quiet-key-00000").doesNotContain("sk-tg-masked-key").doesNotContain("sk-tg-verbatim-key")
                .doesNotContain("sk-upstream-provider-secret").doesNotContain("PROMPT-MARKER").doesNotContain("zoe@example.com");
    }

    @Test
    void anAnswerWithSecretsAfterLineBreaksIsStoredMaskedAndAsValidJson() throws Exception {
        String[] secrets = {"+44 20 7946 0958", "4155550123", "de89 3704 0044 0532 0130 00", "AKIAQ7RSTUVWX2YZ3ABC",
                "10.24.7.19", "ghp_R4nd0mT0k3nV4lu3Xy7Zq2Wp9Lm5Nb8Vc1Kd6", "anna@example.com"};
        Map<String, String[]> rows;
        try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
            upstream.words("Sure:", "\n" + secrets[0], "\n" + secrets[1], "\t" + secrets[2], "\n" + secrets[3],
                    "\n" + secrets[4], "\n" + secrets[5], "\n" + secrets[6]);
            try (Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                    routes:
                      - model: gpt
                        backends: [ { name: up, provider: openai, model: gpt-4o-mini, baseUrl: %s, apiKey: sk-upstream-provider-secret-123 } ]
                    keys:
                      - { name: masked, key: sk-tg-masked-key-00001, contentLogging: redacted }
                    """.formatted(upstream.baseUrl()));
                 RawHttp http = new RawHttp(gateway.port())) {
                for (boolean stream : new boolean[] {false, true}) {
                    RawHttp.Response r = http.send(RawHttp.request("POST", "/v1/chat/completions",
                            "Authorization: Bearer sk-tg-masked-key-00001\r\nContent-Type: application/json\r\n", chat("gpt", stream)));
                    assertThat(r.status()).isEqualTo(200);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> contentRows().size() == 2);
            }
            rows = contentRows();
        }
        String expected = "Sure:\n[REDACTED:PHONE]\n[REDACTED:PHONE]\t[REDACTED:IBAN]\n[REDACTED:AWS_ACCESS_KEY]\n[REDACTED:IPV4]"
                + "\n[REDACTED:GITHUB_TOKEN]\n[REDACTED:EMAIL]";
        List<String> responses = rows.values().stream().map(r -> r[2]).toList();
        String whole = responses.stream().filter(r -> r.startsWith("{")).findFirst().orElseThrow();
        String streamed = responses.stream().filter(r -> !r.startsWith("{")).findFirst().orElseThrow();
        assertThat(Json.MAPPER.readTree(whole).at("/choices/0/message/content").textValue()).as("the whole answer, parsed").isEqualTo(expected);
        assertThat(streamed).as("the streamed answer's text").isEqualTo(expected);
        for (String[] row : rows.values()) {
            assertThat(Json.MAPPER.readTree(row[1]).at("/messages/0/content").textValue()).as("request")
                    .isEqualTo("My card is [REDACTED:CARD] and my mail is [REDACTED:EMAIL], PROMPT-MARKER-7f3a");
        }
    }

    private Map<String, String[]> contentRows() throws Exception {
        Map<String, String[]> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT request_id, key_name, request, response FROM content_log")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return rows;
    }
}
