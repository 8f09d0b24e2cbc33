package dev.tollgate.gateway.recording;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream.Mode;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a mixed workload (successes, a retry, a billed timed-out attempt then a fallback, a stream failing mid-way, a
 * client that disconnects, a rate-limited request), the scraped metrics add up to the ledger: spend to the
 * picodollar, tokens by type, requests by status and outcome, upstream attempts one by one.
 */
class MetricsLedgerAgreementTest {

    private static final String APP = "sk-tg-metrics-app-key-01";
    private static final String LIMITED = "sk-tg-metrics-limited-02";

    @TempDir
    Path dir;
    private final List<FakeOpenAiUpstream> upstreams = new ArrayList<>();
    private FakeOpenAiUpstream ok;
    private FakeOpenAiUpstream flaky;
    private FakeOpenAiUpstream hanging;
    private FakeOpenAiUpstream stalling;
    private Gateway gateway;
    private Http http;

    @BeforeEach
    void start() {
        ok = upstream().usage(120, 30, 40);
        flaky = upstream();
        hanging = upstream().mode(Mode.HANG);
        stalling = upstream().mode(Mode.STALL_MID_STREAM);
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: plain
                    backends: [%s]
                  - model: retrying
                    retries: 1
                    backoff: { initial: 1ms, max: 5ms }
                    backends: [%s]
                  - model: slow
                    retries: 0
                    timeouts: { request: 300ms }
                    fallbacks: [plain]
                    backends: [%s]
                  - model: stalling
                    retries: 0
                    timeouts: { idle: 300ms }
                    backends: [%s]
                  - model: dropping
                    retries: 0
                    backends: [%s]
                teams: [{ name: red }]
                keys:
                  - { name: app, team: red, key: %s }
                  - { name: limited, team: red, key: %s, limits: { rpm: 1 } }
                """.formatted(backend("ok-b", ok, "1.5", "6"), backend("flaky-b", flaky, "2", "8"),
                backend("hanging-b", hanging, "3.25", "7"), backend("stalling-b", stalling, "0.7", "2.9"),
                backend("dropping-b", stalling, "0.11", "0.13"), APP, LIMITED));
        http = new Http(gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstreams.forEach(FakeOpenAiUpstream::close);
    }

    @Test
    void scrapedMetricsAddUpToTheLedgerAfterAMixedWorkload() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(chat(APP, "plain", false).statusCode()).isEqualTo(200);
            assertThat(chat(APP, "plain", true).statusCode()).isEqualTo(200);
        }
        flaky.failWith(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}", null).mode(Mode.OK).then(Mode.ERROR);
        HttpResponse<String> retried = chat(APP, "retrying", false);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("x-tollgate-attempts")).hasValue("2");

        HttpResponse<String> fellBack = chat(APP, "slow", false);
        assertThat(fellBack.statusCode()).isEqualTo(200);
        assertThat(fellBack.headers().firstValue("x-tollgate-fallback")).hasValue("plain");

        HttpResponse<String> failedStream = chat(APP, "stalling", true);
        assertThat(failedStream.statusCode()).as("the stream had started").isEqualTo(200);
        assertThat(failedStream.body()).contains("\"code\":\"upstream_timeout\"");

        disconnectMidStream("dropping");

        assertThat(chat(LIMITED, "plain", false).statusCode()).isEqualTo(200);
        assertThat(chat(LIMITED, "plain", false).statusCode()).isEqualTo(429);

        // Every row written, and every recorded request counted: under load (18-21) a scrape taken as soon as the rows
        // were there lacked one request's 12 prompt tokens.
        await().atMost(Duration.ofSeconds(10)).until(() -> requestRows() == 12 && tokensAgree());
        String metrics = gateway.metrics().scrape();

        assertThat(sum(metrics, "tollgate_spend_picodollars_total", l -> true)).isEqualTo(ledgerLong("SUM(cost_pico)", "1=1"))
                .isPositive();
        assertThat(sum(metrics, "tollgate_spend_picodollars_total", l -> l.contains("key=\"app\"")))
                .isEqualTo(ledgerLong("SUM(cost_pico)", "key_name = 'app'"));
        assertThat(sum(metrics, "tollgate_spend_picodollars_total", l -> l.contains("backend=\"hanging-b\"")))
                .as("the timed-out attempt's billed prompt is counted").isEqualTo(ledgerLong("SUM(cost_pico)", "backend = 'hanging-b'"))
                .isPositive();
        for (String type : new String[] {"prompt", "completion", "cached", "reasoning"}) {
            assertThat(sum(metrics, "tollgate_tokens_total", l -> l.contains("type=\"" + type + "\"")))
                    .as(type).isEqualTo(ledgerLong("SUM(" + type + "_tokens)", "1=1"));
        }
        assertThat(sum(metrics, "tollgate_requests_total", l -> true)).isEqualTo(requestRows());
        assertThat(sum(metrics, "tollgate_requests_total", l -> l.contains("outcome=\"ok\""))).isEqualTo(9);
        assertThat(sum(metrics, "tollgate_requests_total", l -> l.contains("outcome=\"stream_failed\"") && l.contains("status=\"504\"")))
                .isEqualTo(ledgerLong("COUNT(*)", "parent_request_id IS NULL AND status = 504")).isEqualTo(1);
        assertThat(sum(metrics, "tollgate_requests_total", l -> l.contains("outcome=\"client_disconnected\"") && l.contains("status=\"499\"")))
                .isEqualTo(ledgerLong("COUNT(*)", "parent_request_id IS NULL AND status = 499")).isEqualTo(1);
        assertThat(sum(metrics, "tollgate_requests_total", l -> l.contains("outcome=\"client_error\"") && l.contains("status=\"429\"")))
                .isEqualTo(ledgerLong("COUNT(*)", "parent_request_id IS NULL AND status = 429")).isEqualTo(1);

        // attempts: 7 single answers, 2 for the retry, 2 for the fallback, 1 failed stream, 1 dropped one; none for the 429
        assertThat(sum(metrics, "tollgate_upstream_attempts_total", l -> true)).isEqualTo(13);
        assertThat(sum(metrics, "tollgate_upstream_attempts_total", l -> l.contains("backend=\"flaky-b\"") && l.contains("outcome=\"upstream_error\"")))
                .as("the retried 500 counts though the client got 200").isEqualTo(1);
        assertThat(sum(metrics, "tollgate_upstream_attempts_total", l -> l.contains("backend=\"hanging-b\"") && l.contains("outcome=\"timeout\"")))
                .isEqualTo(1);
        assertThat(sum(metrics, "tollgate_upstream_errors_total", l -> l.contains("type=\"server_error\""))).isEqualTo(1);
        assertThat(sum(metrics, "tollgate_retries_total", l -> l.contains("model=\"retrying\""))).isEqualTo(1);
        assertThat(sum(metrics, "tollgate_fallbacks_total", l -> l.contains("model=\"slow\"") && l.contains("fallback=\"plain\""))).isEqualTo(1);

        String fellBackId = fellBack.headers().firstValue("x-request-id").orElseThrow();
        long fellBackPico = ledgerLong("SUM(cost_pico)", "request_id = '" + fellBackId + "' OR parent_request_id = '" + fellBackId + "'");
        assertThat(ledgerLong("COUNT(*)", "parent_request_id = '" + fellBackId + "'")).as("a billed attempt row").isEqualTo(1);
        assertThat(new BigDecimal(fellBack.headers().firstValue("x-tollgate-cost-usd").orElseThrow()))
                .as("the header is the sum of the request's ledger rows").isEqualByComparingTo(BigDecimal.valueOf(fellBackPico, 12));
    }

    private FakeOpenAiUpstream upstream() {
        FakeOpenAiUpstream u = new FakeOpenAiUpstream();
        upstreams.add(u);
        return u;
    }

    private static String backend(String name, FakeOpenAiUpstream u, String in, String out) {
        return "{ name: %s, provider: openai, model: gpt-4o-mini, baseUrl: %s, pricing: { inputPerMillion: %s, outputPerMillion: %s } }"
                .formatted(name, u.baseUrl(), in, out);
    }

    private HttpResponse<String> chat(String key, String model, boolean stream) {
        return http.post("/v1/chat/completions", key, body(model, stream));
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the ledger\"}]}";
    }

    /** Reads the first streamed words, then goes away without reading the rest. */
    private void disconnectMidStream(String model) throws Exception {
        byte[] body = body(model, true).getBytes(StandardCharsets.UTF_8);
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + APP
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = client.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("Hello")) {
                int c = in.read();
                assertThat(c).as("the stream's first chunk arrives").isNotEqualTo(-1);
                seen.append((char) c);
            }
        }
    }

    private boolean tokensAgree() throws Exception {
        String metrics = gateway.metrics().scrape();
        for (String type : new String[] {"prompt", "completion", "cached", "reasoning"}) {
            if (sum(metrics, "tollgate_tokens_total", l -> l.contains("type=\"" + type + "\"")) != ledgerLong("SUM(" + type + "_tokens)", "1=1")) {
                return false;
            }
        }
        return true;
    }

    private long requestRows() throws Exception {
        return ledgerLong("COUNT(*)", "parent_request_id IS NULL");
    }

    private long ledgerLong(String aggregate, String where) throws Exception {
        gateway.ledger().flush();
        try (Connection c = gateway.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(" + aggregate + ", 0) FROM ledger WHERE " + where);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Sum of every sample of {@code name} whose label set matches; Prometheus text, exact below 2^53. */
    private static long sum(String scrape, String name, Predicate<String> labels) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                int space = line.lastIndexOf(' ');
                if (labels.test(line.substring(0, space))) {
                    total += Double.parseDouble(line.substring(space + 1));
                }
            }
        }
        return (long) total;
    }
}
