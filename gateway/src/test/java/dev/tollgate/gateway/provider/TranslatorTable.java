package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A translator's table of wire-format cases, run with no server: each folder under
 * {@code src/test/resources/translators/<provider>/} is one case, its files the inputs and expected outputs.
 * <ul>
 *   <li>{@code request.json}: the client's OpenAI request body (its {@code stream} field picks whole or streamed);
 *       optional {@code case.json}: {@code endpoint} ({@code chat}, {@code completions}, {@code embeddings}),
 *       {@code dropUnsupportedParams}, {@code rawBody} (the client's bytes are available, as on the server)</li>
 *   <li>{@code upstream-request.json}: the expected upstream call: {@code url}, {@code headers}, {@code body}</li>
 *   <li>{@code refused.json}: instead, the expected 400 ({@code status}, {@code type}, {@code code}, {@code param})</li>
 *   <li>{@code upstream-answer.json} → {@code answer.json} (OpenAI answer; {@code created} compared as 0) and
 *       {@code usage.json}, or {@code answer-error.json}: the error the answer is; optional {@code upstream-headers.json}:
 *       the answer's headers</li>
 *   <li>{@code upstream-stream.txt} (the upstream's body as sent), or {@code upstream-stream.eventstream.json} (AWS
 *       event-stream frames as {@code {headers, payload}}) → {@code chunks.jsonl} (one OpenAI chunk a line,
 *       {@code created} as 0) and {@code usage.json}; or {@code stream-error.json}: the error the stream ends in</li>
 *   <li>{@code upstream-error.json} ({@code status}, {@code headers}, {@code body}) → {@code error.json}</li>
 * </ul>
 * The provider folder's {@code backend.json} is the backend every case calls. With {@code -Dtollgate.fixtures.update=true}
 * missing expected files are written from what the translator does (review them before committing).
 */
public final class TranslatorTable {

    private static final boolean UPDATE = Boolean.getBoolean("tollgate.fixtures.update");
    private static final Path ROOT = Path.of("src/test/resources/translators");

    private TranslatorTable() {
    }

    /** One container per case folder of {@code provider}. */
    public static Stream<DynamicNode> cases(String provider, Translator translator) throws IOException {
        return cases(provider, body -> translator);
    }

    /**
     * One container per case folder of {@code folder}, each with the translator {@code perCase} makes of the case's
     * {@code request.json} (for a pass-through translator, which carries the client's own body).
     */
    public static Stream<DynamicNode> cases(String folder, Function<ObjectNode, Translator> perCase) throws IOException {
        Path dir = ROOT.resolve(folder);
        BackendConfig backend = backend(read(dir.resolve("backend.json")));
        try (Stream<Path> folders = Files.list(dir)) {
            return folders.filter(Files::isDirectory).sorted().map(c -> (DynamicNode) DynamicContainer.dynamicContainer(
                    c.getFileName().toString(), tests(c, backend, perCase.apply((ObjectNode) read(c.resolve("request.json"))))))
                    .toList().stream();
        }
    }

    private static Stream<DynamicTest> tests(Path c, BackendConfig backend, Translator translator) {
        ProviderRequest request = request(c, backend);
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("upstream request", () -> {
            UpstreamRequest upstream;
            try {
                upstream = translator.request(request);
            } catch (GatewayException e) {
                check(c.resolve("refused.json"), errorJson(e));
                return;
            }
            assertThat(c.resolve("refused.json")).as("the request was expected to be refused").doesNotExist();
            check(c.resolve("upstream-request.json"), upstreamRequest(upstream));
        }));
        if (Files.exists(c.resolve("upstream-answer.json"))) {
            tests.add(DynamicTest.dynamicTest("answer", () -> {
                ProviderResponse response;
                try {
                    response = translator.answer(request, headers(c), Files.readAllBytes(c.resolve("upstream-answer.json")));
                } catch (GatewayException e) {
                    check(c.resolve("answer-error.json"), errorJson(e));
                    return;
                }
                assertThat(c.resolve("answer-error.json")).as("the answer was expected to fail").doesNotExist();
                check(c.resolve("answer.json"), withoutCreated(Json.MAPPER.readTree(response.body())));
                check(c.resolve("usage.json"), usageTree(response.usage()));
            }));
        }
        if (Files.exists(c.resolve("upstream-stream.txt")) || Files.exists(c.resolve("upstream-stream.eventstream.json"))) {
            tests.add(DynamicTest.dynamicTest("stream", () -> {
                Chunks chunks = new Chunks();
                StreamResult result;
                try {
                    result = translator.stream(request, headers(c), new ByteArrayInputStream(streamBytes(c)), chunks);
                } catch (GatewayException e) {
                    check(c.resolve("stream-error.json"), errorJson(e));
                    return;
                }
                assertThat(c.resolve("stream-error.json")).as("the stream was expected to fail").doesNotExist();
                checkLines(c.resolve("chunks.jsonl"), chunks.lines());
                check(c.resolve("usage.json"), usageTree(result.usage()));
            }));
        }
        if (Files.exists(c.resolve("upstream-error.json"))) {
            tests.add(DynamicTest.dynamicTest("error", () -> {
                JsonNode error = read(c.resolve("upstream-error.json"));
                Map<String, List<String>> headers = new LinkedHashMap<>();
                error.path("headers").properties().forEach(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
                JsonNode body = error.path("body");
                byte[] bytes = body.isTextual() ? body.asText().getBytes(StandardCharsets.UTF_8) : Json.bytes(body);
                UpstreamException e = translator.error(request, error.path("status").asInt(), HttpHeaders.of(headers, (n, v) -> true), bytes);
                check(c.resolve("error.json"), errorJson(e));
            }));
        }
        return tests.stream();
    }

    /** {@code upstream-headers.json}: the answer's headers, when a translator reads any. */
    private static ResponseHeaders headers(Path c) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (Files.exists(c.resolve("upstream-headers.json"))) {
            read(c.resolve("upstream-headers.json")).properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        }
        return ResponseHeaders.of(headers);
    }

    /**
     * The upstream's stream: {@code upstream-stream.txt} as it is, or {@code upstream-stream.eventstream.json} (a list of
     * {@code {headers, payload}}) encoded as AWS event-stream frames.
     */
    private static byte[] streamBytes(Path c) {
        if (Files.exists(c.resolve("upstream-stream.txt"))) {
            return bytes(c.resolve("upstream-stream.txt"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode frame : read(c.resolve("upstream-stream.eventstream.json"))) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            frame.path("headers").properties().forEach(h -> headers.put(h.getKey(), HeaderValue.fromString(h.getValue().asText())));
            out.writeBytes(new Message(headers, Json.bytes(frame.path("payload"))).toByteBuffer().array());
        }
        return out.toByteArray();
    }

    private static ProviderRequest request(Path c, BackendConfig backend) {
        JsonNode options = Files.exists(c.resolve("case.json")) ? read(c.resolve("case.json")) : Json.MAPPER.createObjectNode();
        byte[] raw = bytes(c.resolve("request.json"));
        ObjectNode body = (ObjectNode) read(c.resolve("request.json"));
        boolean stream = body.path("stream").asBoolean(false);
        Endpoint endpoint = Endpoint.valueOf(options.path("endpoint").asText("chat").toUpperCase(Locale.ROOT));
        return new ProviderRequest("req-1", endpoint, backend, body, stream, body.path("stream_options").path("include_usage").asBoolean(false),
                Duration.ofSeconds(30), options.path("dropUnsupportedParams").asBoolean(false), Duration.ofSeconds(5),
                options.path("rawBody").asBoolean(false) ? raw : null);
    }

    private static BackendConfig backend(JsonNode b) {
        JsonNode aws = b.path("aws");
        return new BackendConfig(b.path("name").asText(), b.path("provider").asText(), b.path("model").asText(),
                URI.create(b.path("baseUrl").asText()), b.path("apiKey").asText(null), 1, 0, null, null,
                b.path("apiVersion").asText(null), b.path("region").asText(null), aws.isObject()
                ? new AwsCredentials(aws.path("accessKeyId").asText(), aws.path("secretAccessKey").asText(), aws.path("sessionToken").asText(null))
                : null, null, null);
    }

    private static JsonNode upstreamRequest(UpstreamRequest r) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("url", r.uri().toString());
        ObjectNode headers = out.putObject("headers");
        r.headers().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(h -> headers.put(h.getKey(), h.getValue()));
        out.set("body", Json.MAPPER.readTree(r.body()));
        return out;
    }

    private static JsonNode errorJson(GatewayException e) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("status", e.status());
        out.put("type", e.type());
        out.put("code", e.code());
        out.put("param", e.param());
        out.put("message", e.getMessage());
        if (e instanceof UpstreamException u) {
            out.put("kind", u.kind().name());
            out.put("retryAfterMillis", u.retryAfter() == null ? null : u.retryAfter().toMillis());
        }
        return out;
    }

    private static JsonNode usageTree(Usage usage) {
        return Json.MAPPER.valueToTree(usage);
    }

    private static JsonNode withoutCreated(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("created")) {
            o.put("created", 0);
        }
        return node;
    }

    /** Compares with the expected file; JSON Lines when the file ends in .jsonl. */
    private static void check(Path expected, JsonNode actual) throws IOException {
        if (!Files.exists(expected)) {
            if (UPDATE) {
                Files.writeString(expected, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
                return;
            }
            fail("missing " + expected + "; the translator gives:%n%s", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(actual));
        }
        // through text, so that a long and an int of the same value compare equal
        assertThat(parse(Json.MAPPER.writeValueAsString(actual))).as(expected.toString()).isEqualTo(read(expected));
    }

    private static void checkLines(Path expected, List<JsonNode> actual) throws IOException {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : actual) {
            text.append(Json.MAPPER.writeValueAsString(line)).append('\n');
        }
        if (!Files.exists(expected)) {
            if (UPDATE) {
                Files.writeString(expected, text);
                return;
            }
            fail("missing " + expected + "; the translator gives:%n%s", text);
        }
        List<JsonNode> lines = Files.readAllLines(expected).stream().filter(l -> !l.isBlank()).map(TranslatorTable::parse).toList();
        assertThat(actual.stream().map(l -> parse(l.toString())).toList()).as(expected.toString()).containsExactlyElementsOf(lines);
    }

    private static JsonNode read(Path file) {
        return parse(new String(bytes(file), StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chunks a translator sends, in order ({@code created} as 0). */
    private static final class Chunks implements ChunkSink {
        private final List<JsonNode> chunks = new ArrayList<>();

        @Override
        public void send(JsonNode chunk, byte[] raw) {
            chunks.add(withoutCreated(chunk.deepCopy()));
        }

        @Override
        public void sendJson(byte[] json, String text, boolean hold) throws IOException {
            chunks.add(withoutCreated(Json.MAPPER.readTree(json)));
        }

        List<JsonNode> lines() {
            return chunks;
        }
    }
}
