package dev.tollgate.gateway.tracing;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream.Mode;
import dev.tollgate.gateway.testing.StallingStreamUpstream;
import dev.tollgate.gateway.testing.TestGateways;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Spans of real requests through a real gateway to fake upstreams over HTTP, collected by the SDK's in-memory exporter. */
class RequestTracingTest {

    private static final String KEY = "sk-tg-tracing-test-key";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String CLIENT_TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";
    private static final String PROMPT = "Say hello to the tracing test";
    private static final String SERVER_ERROR = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}";

    @TempDir
    Path dir;
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Gateway gateway;

    @AfterEach
    void close() throws Exception {
        http.close(); // first: the gateway's stop would wait for its idle keep-alive connection
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void retriedChatIsOneServerSpanWithTwoSiblingAttemptSpansInTheClientsTrace() {
        FakeOpenAiUpstream upstream = upstream().failWith(500, SERVER_ERROR, null).mode(Mode.OK).then(Mode.ERROR).usage(21, 7, 0);
        start(route("main", upstream, "retries: 1"));

        HttpResponse<String> r = chat("main", false, CLIENT_TRACEPARENT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-tollgate-attempts")).hasValue("2");
        List<SpanData> all = awaitSpans(3);
        SpanData server = only(all, SpanKind.SERVER);
        List<SpanData> attempts = attempts(all);
        assertThat(attempts).hasSize(2);

        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
        assertThat(server.getName()).isEqualTo("chat main");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(attr(server, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(attr(server, "gen_ai.request.model")).isEqualTo("main");
        assertThat(attr(server, "gen_ai.response.model")).isEqualTo("gpt-4o-mini");
        assertThat(attr(server, "gen_ai.provider.name")).isEqualTo("openai");
        assertThat(longAttr(server, "gen_ai.usage.input_tokens")).isEqualTo(21);
        assertThat(longAttr(server, "gen_ai.usage.output_tokens")).isEqualTo(7);
        assertThat(longAttr(server, "http.response.status_code")).isEqualTo(200);
        assertThat(attr(server, "tollgate.route")).isEqualTo("main");
        assertThat(attr(server, "tollgate.backend")).isEqualTo("b-main");
        assertThat(attr(server, "tollgate.key.name")).isEqualTo("app");
        assertThat(attr(server, "tollgate.team")).isEqualTo("search");
        assertThat(attr(server, "tollgate.request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
        assertThat(longAttr(server, "tollgate.attempts")).isEqualTo(2);
        // 21 prompt tokens at $1/M + 7 completion tokens at $2/M, the billed answer only
        assertThat(server.getAttributes().get(AttributeKey.doubleKey("tollgate.cost_usd"))).isEqualTo(0.000035);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();

        SpanData failed = attempts.get(0);
        SpanData succeeded = attempts.get(1);
        for (SpanData attempt : attempts) {
            assertThat(attempt.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attempt.getName()).isEqualTo("chat gpt-4o-mini");
            assertThat(attr(attempt, "gen_ai.provider.name")).isEqualTo("openai");
            assertThat(attr(attempt, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
            assertThat(attr(attempt, "tollgate.backend")).isEqualTo("b-main");
            assertThat(attr(attempt, "tollgate.route")).isEqualTo("main");
            assertThat(attr(attempt, "server.address")).isEqualTo("127.0.0.1");
        }
        assertThat(longAttr(failed, "tollgate.attempt")).isEqualTo(1);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(failed, "error.type")).isEqualTo("upstream_error");
        assertThat(longAttr(failed, "http.response.status_code")).isEqualTo(500);
        assertThat(longAttr(succeeded, "tollgate.attempt")).isEqualTo(2);
        assertThat(succeeded.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(longAttr(succeeded, "http.response.status_code")).isEqualTo(200);
        assertThat(longAttr(succeeded, "gen_ai.usage.input_tokens")).isEqualTo(21);
        assertThat(longAttr(succeeded, "gen_ai.usage.output_tokens")).isEqualTo(7);

        // each attempt sent its own span as the parent, in the client's trace
        assertThat(upstream.received()).extracting(FakeOpenAiUpstream.Received::traceparent).containsExactly(
                "00-" + TRACE_ID + "-" + failed.getSpanId() + "-01", "00-" + TRACE_ID + "-" + succeeded.getSpanId() + "-01");
        assertNoContentOrKey(all);
    }

    @Test
    void streamedChatIsTracedAndCarriesTheClientsTraceUpstream() {
        FakeOpenAiUpstream upstream = upstream().usage(13, 4, 0);
        start(route("main", upstream, "retries: 0"));

        HttpResponse<String> r = chat("main", true, CLIENT_TRACEPARENT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("data: [DONE]");
        List<SpanData> all = awaitSpans(2);
        SpanData server = only(all, SpanKind.SERVER);
        SpanData attempt = only(all, SpanKind.CLIENT);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(server.getAttributes().get(AttributeKey.booleanKey("tollgate.stream"))).isTrue();
        assertThat(longAttr(server, "gen_ai.usage.input_tokens")).isEqualTo(13);
        assertThat(longAttr(server, "gen_ai.usage.output_tokens")).isEqualTo(4);
        assertThat(longAttr(attempt, "gen_ai.usage.input_tokens")).isEqualTo(13);
        assertThat(longAttr(attempt, "http.response.status_code")).isEqualTo(200);
        // the attempt span covers the whole stream, not only the wait for its headers
        assertThat(attempt.getEndEpochNanos()).isLessThanOrEqualTo(server.getEndEpochNanos());
        assertThat(upstream.received()).singleElement().extracting(FakeOpenAiUpstream.Received::traceparent)
                .isEqualTo("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01");
        assertNoContentOrKey(all);
    }

    @Test
    void fallbackAttemptsAreSiblingsMarkedWithTheirRoute() {
        FakeOpenAiUpstream broken = upstream().failWith(503, SERVER_ERROR, null);
        FakeOpenAiUpstream backup = upstream();
        start("routes:\n" + route("main", broken, "retries: 0\n    fallbacks: [backup]") + route("backup", backup, "retries: 0"));

        HttpResponse<String> r = chat("main", false, null);

        assertThat(r.statusCode()).isEqualTo(200);
        List<SpanData> all = awaitSpans(3);
        SpanData server = only(all, SpanKind.SERVER);
        List<SpanData> attempts = attempts(all);
        assertThat(attempts).extracting(s -> s.getParentSpanId()).containsOnly(server.getSpanId());
        assertThat(attempts).extracting(s -> attr(s, "tollgate.route")).containsExactly("main", "backup");
        assertThat(attempts).extracting(s -> s.getAttributes().get(AttributeKey.booleanKey("tollgate.fallback")))
                .containsExactly(false, true);
        assertThat(attempts).extracting(s -> s.getStatus().getStatusCode()).containsExactly(StatusCode.ERROR, StatusCode.UNSET);
        assertThat(attr(server, "tollgate.fallback_route")).isEqualTo("backup");
        assertThat(attr(server, "tollgate.backend")).isEqualTo("b-backup");
        // no traceparent from the client: the gateway started the trace, and sent it upstream all the same
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(backup.received()).singleElement().extracting(FakeOpenAiUpstream.Received::traceparent).asString()
                .startsWith("00-" + server.getTraceId() + "-" + attempts.get(1).getSpanId() + "-"); // flags: sampled, random id
    }

    @Test
    void failedRequestSpanCarriesTheErrorType() {
        FakeOpenAiUpstream broken = upstream().failWith(500, SERVER_ERROR, null);
        start(route("main", broken, "retries: 0"));

        HttpResponse<String> r = chat("main", false, CLIENT_TRACEPARENT);

        assertThat(r.statusCode()).isEqualTo(502);
        SpanData server = only(awaitSpans(2), SpanKind.SERVER);
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(server, "error.type")).isEqualTo("upstream_error");
        assertThat(longAttr(server, "http.response.status_code")).isEqualTo(502);
    }

    @Test
    void streamThatBreaksMidWayIsAnErrorSpanWithTheLedgersStatus() {
        FakeOpenAiUpstream stalling = upstream().mode(Mode.STALL_MID_STREAM);
        start(route("main", stalling, "retries: 0\n    timeouts: { idle: 300ms }"));

        HttpResponse<String> r = chat("main", true, CLIENT_TRACEPARENT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"code\":\"upstream_timeout\"");
        List<SpanData> all = awaitSpans(2);
        SpanData server = only(all, SpanKind.SERVER);
        SpanData attempt = only(all, SpanKind.CLIENT);
        assertThat(longAttr(server, "http.response.status_code")).isEqualTo(504); // as the ledger stores it: the wire said 200
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(server, "error.type")).isEqualTo("upstream_timeout");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attr(attempt, "error.type")).isEqualTo("upstream_timeout");
    }

    @Test
    void clientThatLeavesMidStreamEndsItsAttemptAsClientDisconnected() throws Exception {
        StallingStreamUpstream stalling = new StallingStreamUpstream();
        open.add(stalling);
        start("""
                  - model: main
                    timeouts: { request: 120s, idle: 60s }
                    backends:
                      - { name: b-main, provider: openai, model: gpt-4o-mini, baseUrl: %s, pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                """.formatted(stalling.baseUrl()));
        byte[] body = ("{\"model\":\"main\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY + "\r\ntraceparent: "
                    + CLIENT_TRACEPARENT + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
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

        List<SpanData> all = awaitSpans(2);
        SpanData server = only(all, SpanKind.SERVER);
        SpanData attempt = only(all, SpanKind.CLIENT);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(attr(server, "error.type")).isEqualTo("client_disconnected");
        assertThat(attr(attempt, "error.type")).isEqualTo("client_disconnected");
        assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
    }

    @Test
    void tracingOffRecordsNothingAndSendsNoTraceparentUpstream() {
        FakeOpenAiUpstream upstream = upstream();
        startUntraced(route("main", upstream, "retries: 0"));

        HttpResponse<String> r = chat("main", false, CLIENT_TRACEPARENT);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.received()).singleElement().extracting(FakeOpenAiUpstream.Received::traceparent).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    private void assertNoContentOrKey(List<SpanData> all) {
        for (SpanData span : all) {
            assertThat(span.getAttributes().asMap().values()).allSatisfy(v -> assertThat(String.valueOf(v))
                    .doesNotContain(PROMPT).doesNotContain(KEY).doesNotContain("Hello"));
        }
    }

    private FakeOpenAiUpstream upstream() {
        FakeOpenAiUpstream u = new FakeOpenAiUpstream();
        open.add(u);
        return u;
    }

    private static String route(String model, FakeOpenAiUpstream upstream, String extra) {
        return """
                  - model: %s
                    %s
                    backoff: { initial: 1ms, max: 5ms }
                    backends:
                      - { name: b-%s, provider: openai, model: gpt-4o-mini, baseUrl: %s, pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                """.formatted(model, extra, model, upstream.baseUrl());
    }

    private void start(String routes) {
        gateway = Gateway.start(TestGateways.parse(yaml(routes), Map.of()), Clock.systemUTC(), Tracers.exportingTo(spans, 1.0));
    }

    private void startUntraced(String routes) {
        gateway = Gateway.start(TestGateways.parse(yaml(routes), Map.of()), Clock.systemUTC(), RequestTracer.OFF);
    }

    private String yaml(String routes) {
        String r = routes.startsWith("routes:") ? routes : "routes:\n" + routes;
        return TestGateways.gatewayBlock(dir) + r + """
                teams:
                  - { name: search }
                keys:
                  - { name: app, key: %s, team: search }
                """.formatted(KEY);
    }

    private HttpResponse<String> chat(String model, boolean stream, String traceparent) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]"
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The server span ends after the answer's last byte may have reached the client: wait for it. */
    private List<SpanData> awaitSpans(int count) {
        await().until(() -> spans.getFinishedSpanItems().size() >= count);
        assertThat(spans.getFinishedSpanItems()).hasSize(count);
        return spans.getFinishedSpanItems();
    }

    private static SpanData only(List<SpanData> all, SpanKind kind) {
        return all.stream().filter(s -> s.getKind() == kind).reduce((a, b) -> {
            throw new AssertionError("more than one " + kind + " span: " + all);
        }).orElseThrow(() -> new AssertionError("no " + kind + " span: " + all));
    }

    private static List<SpanData> attempts(List<SpanData> all) {
        return all.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    }

    private static String attr(SpanData span, String name) {
        return span.getAttributes().get(AttributeKey.stringKey(name));
    }

    private static long longAttr(SpanData span, String name) {
        Long v = span.getAttributes().get(AttributeKey.longKey(name));
        assertThat(v).as(name + " of " + span.getName()).isNotNull();
        return v;
    }
}
