package dev.tollgate.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.LedgerRows;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attribution end to end (tags and user from a client's request into the ledger) and the admin reads the dashboard
 * uses: {@code /admin/spend} (groups, filters, CSV, strict parameters), {@code /admin/requests} and
 * {@code /admin/budgets}. One gateway for the class; each test tags its own requests.
 */
class AdminReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "sk-tg-alice-key-000001";
    private static final String BOB = "sk-tg-bob-key-00000002";
    private static final String ADMIN = "sk-tg-admin-test-key";

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
                teams:
                  - { name: red, budget: { amountUsd: 100, period: daily } }
                  - { name: blue }
                keys:
                  - { name: alice, team: red, key: %s, budget: { amountUsd: 10, period: monthly } }
                  - { name: bob, team: blue, key: %s }
                """.formatted(ALICE, BOB));
        http = new Http(gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private HttpResponse<String> chat(String key, String tagsHeader, String extraFields, String text) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\"" + extraFields
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
        if (tagsHeader != null) {
            b.header("x-tollgate-tags", tagsHeader);
        }
        return http.send(b.build());
    }

    private JsonNode admin(String path) throws Exception {
        gateway.ledger().flush();
        HttpResponse<String> r = http.get(path, ADMIN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void tagsAndUserOfARequestAreRecordedButNotItsContent() {
        HttpResponse<String> r = chat(ALICE, "nightly, feature=search", ",\"user\":\"user-17\",\"metadata\":{\"env\":\"prod\"}",
                "secret-prompt-text-4711");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        Map<String, Object> row = LedgerRows.byRequestId(gateway, r.headers().firstValue("x-request-id").orElseThrow());

        assertThat(row.get("end_user")).isEqualTo("user-17");
        assertThat(row.get("tags")).isEqualTo("[\"nightly\",\"feature=search\",\"env=prod\"]");
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains("secret-prompt-text-4711"));
    }

    @Test
    void anAnthropicClientsUserIdAndTagHeaderAreRecordedToo() {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/v1/messages")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("x-api-key", BOB).header("anthropic-version", "2023-06-01")
                .header("x-tollgate-tags", "agent=claude-code")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"max_tokens\":64,\"metadata\":{\"user_id\":\"dev-3\"},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        Map<String, Object> row = LedgerRows.byRequestId(gateway, r.headers().firstValue("x-request-id").orElseThrow());

        assertThat(row.get("end_user")).isEqualTo("dev-3");
        assertThat(row.get("tags")).isEqualTo("[\"agent=claude-code\"]");
    }

    @Test
    void aTagHeaderOutOfBoundsIsA400NamingIt() throws Exception {
        HttpResponse<String> r = chat(ALICE, "ok," + "x".repeat(200), "", "hi");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("x-tollgate-tags");
        assertThat(error.get("message").asText()).contains("x-tollgate-tags");
    }

    @Test
    void spendGroupsByTagAndByUserFiltersAndEqualsTheLedger() throws Exception {
        BigDecimal t1 = cost(chat(ALICE, "report-a", ",\"user\":\"ann\"", "one"));
        BigDecimal t2 = cost(chat(BOB, "report-a,report-b", ",\"user\":\"ben\"", "two"));
        BigDecimal t3 = cost(chat(BOB, "report-b", ",\"user\":\"ben\"", "three"));

        JsonNode byTag = admin("/admin/spend?group_by=tag&tag=report-a&tag=report-b");
        JsonNode byUser = admin("/admin/spend?group_by=user,key&user=ann&user=ben");

        assertThat(byTag.get("group_by")).containsExactly(JSON.valueToTree("tag"));
        assertThat(byTag.get("data")).hasSize(2);
        assertThat(cost(byTag, Map.of("tag", "report-a"))).isEqualByComparingTo(t1.add(t2));
        assertThat(cost(byTag, Map.of("tag", "report-b"))).isEqualByComparingTo(t2.add(t3));
        assertThat(byUser.get("data")).hasSize(2);
        assertThat(cost(byUser, Map.of("user", "ann", "key", "alice"))).isEqualByComparingTo(t1);
        assertThat(cost(byUser, Map.of("user", "ben", "key", "bob"))).isEqualByComparingTo(t2.add(t3));

        JsonNode benByKey = admin("/admin/spend?group_by=key&group_by=day&user=ben");
        assertThat(benByKey.get("data")).hasSize(1);
        assertThat(benByKey.get("data").get(0).get("key").asText()).isEqualTo("bob");
        assertThat(benByKey.get("data").get(0).get("requests").asLong()).isEqualTo(2);
        assertThat(new BigDecimal(benByKey.get("total").get("cost_usd").asText())).isEqualByComparingTo(t2.add(t3));

        BigDecimal ledgerTotal = LedgerRows.all(gateway).stream()
                .map(row -> BigDecimal.valueOf(LedgerRows.asLong(row.get("cost_pico")), 12))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(new BigDecimal(admin("/admin/spend?group_by=team").get("total_cost_usd").asText()))
                .isEqualByComparingTo(ledgerTotal);
    }

    @Test
    void aTagWithACommaIsFilteredWhole() throws Exception {
        BigDecimal spent = cost(chat(BOB, null, ",\"metadata\":{\"title\":\"q3, draft\"}", "comma"));
        String tag = URLEncoder.encode("title=q3, draft", StandardCharsets.UTF_8);

        JsonNode report = admin("/admin/spend?group_by=tag&tag=" + tag);
        JsonNode rows = admin("/admin/requests?tag=" + tag);

        assertThat(report.get("data")).hasSize(1);
        assertThat(report.get("data").get(0).get("tag").asText()).isEqualTo("title=q3, draft");
        assertThat(new BigDecimal(report.get("data").get(0).get("cost_usd").asText())).isEqualByComparingTo(spent);
        assertThat(rows.get("data")).hasSize(1);
    }

    @Test
    void spendAnswersCsvOnRequest() throws Exception {
        cost(chat(ALICE, "=cmd()", ",\"user\":\"csv, user\"", "csv"));
        gateway.ledger().flush();

        HttpResponse<String> byFormat = http.get("/admin/spend?group_by=tag,key&tag==cmd()&format=csv", ADMIN);
        HttpResponse<String> byAccept = http.send(HttpRequest.newBuilder(http.uri("/admin/spend?group_by=user,key&user="
                        + URLEncoder.encode("csv, user", StandardCharsets.UTF_8)))
                .header("authorization", "Bearer " + ADMIN).header("accept", "text/csv").GET().build());

        for (HttpResponse<String> r : List.of(byFormat, byAccept)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/csv");
            assertThat(r.body().split("\r\n")).hasSize(2);
        }
        assertThat(byFormat.body().split("\r\n")[0]).isEqualTo("tag,key,requests,prompt_tokens,completion_tokens,cost_usd");
        assertThat(byFormat.body().split("\r\n")[1]).startsWith("'=cmd(),alice,1,"); // no formula for a spreadsheet to run
        assertThat(byAccept.body().split("\r\n")[0]).isEqualTo("user,key,requests,prompt_tokens,completion_tokens,cost_usd");
        assertThat(byAccept.body().split("\r\n")[1]).startsWith("\"csv, user\",alice,1,");
    }

    @ParameterizedTest
    @CsvSource({
            "/admin/spend?colour=red, colour",
            "/admin/spend?group_by=colour, group_by",
            "/admin/spend?groupBy=colour, groupBy",
            "/admin/spend?group_by=key&group_by=key, group_by",
            "/admin/spend?limit=0, limit",
            "/admin/spend?limit=ten, limit",
            "/admin/spend?from=2026-13-01, from",
            "/admin/spend?from=2026-11-01T10:00:00Z, from",
            "/admin/spend?from=2026-11-02&to=2026-11-01, from",
            "/admin/spend?to=2026-11-01&to=2026-12-01, to",
            "/admin/spend?format=xml, format",
            "/admin/spend?group_by=tag&group_by=user, group_by",
            "/admin/spend?group_by=tag&user=ann, user",
            "/admin/requests?colour=red, colour",
            "/admin/requests?limit=1001, limit",
            "/admin/requests?key=a&key=b, key",
            "/admin/budgets?scope=key, scope",
    })
    void unknownParametersAndBadValuesAreA400NamingTheParameter(String path, String param) throws Exception {
        HttpResponse<String> r = http.get(path, ADMIN);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo(param);
    }

    @Test
    void requestsListsLedgerRowsNewestFirstWithFilters() throws Exception {
        String first = chat(BOB, "list-me", ",\"user\":\"lister\"", "a").headers().firstValue("x-request-id").orElseThrow();
        String second = chat(BOB, "list-me", ",\"user\":\"lister\"", "b").headers().firstValue("x-request-id").orElseThrow();
        String third = chat(BOB, "list-me", ",\"user\":\"lister\"", "c").headers().firstValue("x-request-id").orElseThrow();

        JsonNode page = admin("/admin/requests?user=lister&limit=2");
        JsonNode tagged = admin("/admin/requests?tag=list-me&key=bob");

        assertThat(page.get("data")).extracting(r -> r.get("request_id").asText()).containsExactly(third, second);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(tagged.get("data")).extracting(r -> r.get("request_id").asText()).containsExactly(third, second, first);
        JsonNode row = page.get("data").get(0);
        assertThat(row.get("key").asText()).isEqualTo("bob");
        assertThat(row.get("team").asText()).isEqualTo("blue");
        assertThat(row.get("tags")).containsExactly(JSON.valueToTree("list-me"));
        assertThat(row.get("model").asText()).isEqualTo("chat");
        assertThat(row.get("status").asInt()).isEqualTo(200);
        assertThat(new BigDecimal(row.get("cost_usd").asText())).isPositive();
        assertThat(row.has("messages")).isFalse();
    }

    @Test
    void budgetsListEachKeyAndTeamBudgetWithItsUse() throws Exception {
        JsonNode before = admin("/admin/budgets");
        BigDecimal spent = cost(chat(ALICE, null, "", "budget"));

        JsonNode after = admin("/admin/budgets");

        assertThat(after.get("data")).extracting(b -> b.get("scope").asText() + ":" + b.get("name").asText())
                .containsExactly("key:alice", "team:red");
        JsonNode alice = after.get("data").get(0);
        assertThat(alice.get("limit_usd").asText()).isEqualTo("10");
        assertThat(alice.get("period").asText()).isEqualTo("monthly");
        assertThat(new BigDecimal(alice.get("used_usd").asText()))
                .isEqualByComparingTo(new BigDecimal(before.get("data").get(0).get("used_usd").asText()).add(spent));
        assertThat(new BigDecimal(alice.get("remaining_usd").asText()))
                .isEqualByComparingTo(BigDecimal.TEN.subtract(new BigDecimal(alice.get("used_usd").asText())));
        assertThat(alice.get("used_share").asDouble()).isBetween(0.0, 1.0);
        assertThat(alice.get("reset_at").asText()).endsWith("-01T00:00:00Z");
        assertThat(after.get("data").get(1).get("period").asText()).isEqualTo("daily");
    }

    private static BigDecimal cost(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new BigDecimal(r.headers().firstValue("x-tollgate-cost-usd").orElseThrow());
    }

    private static BigDecimal cost(JsonNode report, Map<String, String> group) {
        for (JsonNode row : report.get("data")) {
            if (group.entrySet().stream().allMatch(g -> g.getValue().equals(row.path(g.getKey()).asText(null)))) {
                return new BigDecimal(row.get("cost_usd").asText());
            }
        }
        throw new AssertionError(group + " missing in " + report);
    }
}
