package dev.tollgate.gateway.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input through every translator. Well-formed requests of each client API (OpenAI chat, completions and
 * embeddings; Anthropic messages and count_tokens) are mutated by a seeded generator (a value replaced by one of
 * another type or by an extreme number, a field dropped or added, an array blown up) and sent with one key to models
 * served by fake OpenAI, Anthropic and Gemini upstreams that answer every call well, with circuit breakers and tpm
 * quotas on. Passing means:
 * <ul>
 *   <li>no 5xx: the upstreams never fail, so any 5xx is the gateway's own fault on client input;</li>
 *   <li>no request hangs, and every 4xx is in the client API's error shape;</li>
 *   <li>a second key's well-formed requests to every model answer 200 throughout: no client input trips a breaker or
 *   spends a quota for others;</li>
 *   <li>no error in the server log, and the heap after GC grows by less than 64 MiB from the first tenth of the run to
 *   its end.</li>
 * </ul>
 * {@code -Dfuzz.translation.requests=N} runs longer (bench/fuzz.sh).
 */
class TranslationFuzzTest {

    private static final int REQUESTS = Integer.getInteger("fuzz.translation.requests", 12_000);
    private static final int SENDERS = 4;
    private static final int CONTROL_EVERY = 200;
    private static final int MAX_BODY_CHARS = 200_000;
    private static final long SEED = 0x7a11_f022L;
    private static final String FUZZ_KEY = "sk-tg-fuzz-translate-1";
    private static final String CONTROL_KEY = "sk-tg-control-tenant-1";
    private static final List<String> MODELS = List.of("oa", "an", "ge");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    /** One client API: its path, a well-formed body, and whether errors come in Anthropic's shape. */
    private record Api(String path, String template, boolean anthropicErrors) {
    }

    private static final List<Api> APIS = List.of(
            new Api("/v1/chat/completions", """
                    {"model":"oa","messages":[{"role":"system","content":"Be terse."},
                      {"role":"user","content":[{"type":"text","text":"What is this?"},
                        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},
                      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                        "function":{"name":"lookup","arguments":"{\\"q\\":\\"x\\"}"}}]},
                      {"role":"tool","tool_call_id":"call_1","content":"found"}],
                     "max_tokens":16,"temperature":0.5,"top_p":0.9,"stop":["END"],"n":1,"seed":7,"user":"u-1",
                     "tools":[{"type":"function","function":{"name":"lookup","description":"d",
                       "parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}],
                     "tool_choice":"auto","response_format":{"type":"json_object"},"logit_bias":{"50256":-100},
                     "stream":false,"stream_options":{"include_usage":true}}""", false),
            new Api("/v1/completions", """
                    {"model":"oa","prompt":["Say hi"],"max_tokens":16,"temperature":0.5,"stop":"\\n","stream":false}""", false),
            new Api("/v1/embeddings", """
                    {"model":"oa","input":["first","second"],"encoding_format":"float","dimensions":8}""", false),
            new Api("/v1/messages", """
                    {"model":"an","max_tokens":16,"system":[{"type":"text","text":"Be terse."}],
                     "messages":[{"role":"user","content":[{"type":"text","text":"Look it up"},
                        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
                      {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"x"}}]},
                      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"found"}]}],
                     "tools":[{"name":"lookup","description":"d","input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
                     "tool_choice":{"type":"auto"},"temperature":0.5,"top_k":5,"stop_sequences":["END"],
                     "metadata":{"user_id":"u-1"},"stream":false}""", true),
            new Api("/v1/messages/count_tokens", """
                    {"model":"an","system":"Be terse.","messages":[{"role":"user","content":"Count me"}],
                     "tools":[{"name":"lookup","input_schema":{"type":"object"}}]}""", true));

    @Test
    void mutatedRequestsOfEveryClientApiGetA4xxOrAnAnswerAndNeverHurtAnotherTenant() throws Exception {
        ErrorLog errors = new ErrorLog();
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger controls = new AtomicInteger();
        long[] heap = new long[2];
        try (FakeUpstream openAi = new FakeUpstream().forgetting().respond(TranslationFuzzTest::openAiAnswer);
             FakeUpstream anthropic = new FakeUpstream().forgetting().respond(TranslationFuzzTest::anthropicAnswer);
             FakeUpstream gemini = new FakeUpstream().forgetting().respond(TranslationFuzzTest::geminiAnswer);
             Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                       maxBodyBytes: 262144
                       security: { authFailuresPerMinute: 0 }
                     routes:
                       - model: oa
                         circuitBreaker: { failureThreshold: 3, cooldown: 10m, halfOpenProbes: 1 }
                         backends: [ { name: openai-fake, provider: openai, model: gpt-4o-mini, baseUrl: %s, apiKey: sk-up-oa, tpm: 100000000 } ]
                       - model: an
                         circuitBreaker: { failureThreshold: 3, cooldown: 10m, halfOpenProbes: 1 }
                         backends: [ { name: anthropic-fake, provider: anthropic, model: claude-sonnet-4-5, baseUrl: %s, apiKey: sk-up-an, tpm: 100000000 } ]
                       - model: ge
                         circuitBreaker: { failureThreshold: 3, cooldown: 10m, halfOpenProbes: 1 }
                         backends: [ { name: gemini-fake, provider: gemini, model: gemini-2.5-flash, baseUrl: %s, apiKey: up-ge, tpm: 100000000 } ]
                     keys:
                       - { name: fuzz, key: %s }
                       - { name: control, key: %s }
                     """.formatted(openAi.baseUrl(), anthropic.baseUrl(), gemini.baseUrl(), FUZZ_KEY, CONTROL_KEY))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + gateway.port();
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Random random = new Random(SEED + s);
                boolean measures = s == 0;
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 1; i <= REQUESTS / SENDERS; i++) {
                        Api api = APIS.get(random.nextInt(APIS.size()));
                        String body = mutate(api, random);
                        while (body.length() > MAX_BODY_CHARS) {
                            // over maxBodyBytes the gateway answers 413 and closes while the client still sends, which
                            // the JDK client reports as no response; oversized bodies are HostileRequestFuzzTest's
                            body = mutate(api, random);
                        }
                        HttpResponse<String> r;
                        try {
                            r = http.send(post(base + api.path(), FUZZ_KEY, body), HttpResponse.BodyHandlers.ofString());
                        } catch (HttpTimeoutException e) {
                            violations.add("hang: " + api.path() + " " + shorten(body));
                            continue;
                        } catch (Exception e) {
                            violations.add("no response (" + e + "): " + api.path() + " " + shorten(body));
                            continue;
                        }
                        sent.incrementAndGet();
                        statuses.computeIfAbsent(api.path() + " " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                        String problem = problem(api, r);
                        if (problem != null) {
                            violations.add(problem + ": " + api.path() + " " + shorten(body) + " -> " + shorten(r.body()));
                        }
                        if (i % CONTROL_EVERY == 0) {
                            controls.incrementAndGet();
                            String model = MODELS.get(random.nextInt(MODELS.size()));
                            String control = "{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                            try {
                                HttpResponse<String> c = http.send(post(base + "/v1/chat/completions", CONTROL_KEY, control),
                                        HttpResponse.BodyHandlers.ofString());
                                if (c.statusCode() != 200) {
                                    violations.add("other tenant refused on " + model + ": " + c.statusCode() + " " + shorten(c.body()));
                                }
                            } catch (Exception e) {
                                violations.add("other tenant got no answer on " + model + ": " + e);
                            }
                        }
                        if (measures && i == REQUESTS / SENDERS / 10) {
                            heap[0] = heapAfterGc();
                        }
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            heap[1] = heapAfterGc();
        } finally {
            errors.close();
        }
        System.out.printf("Translation fuzz: %d responses, %d control requests, heap after GC %d -> %d MiB; by path and status: %s%n",
                sent.get(), controls.get(), heap[0] >> 20, heap[1] >> 20, new TreeMap<>(statuses));
        violations.stream().limit(40).forEach(v -> System.out.println("VIOLATION " + v));
        assertThat(violations).as("violations (%d)", violations.size()).isEmpty();
        assertThat(sent.get()).isEqualTo(REQUESTS / SENDERS * SENDERS);
        assertThat(errors.messages()).as("errors or exceptions in the server log").isEmpty();
        assertThat(statuses.keySet()).as("mutated requests still get answers").anyMatch(k -> k.endsWith(" 200"));
        assertThat(heap[1] - heap[0]).as("heap growth after GC over the run").isLessThan(64L << 20);
    }

    /** What is wrong with the gateway's answer to a mutated request, or null. */
    private static String problem(Api api, HttpResponse<String> r) {
        int status = r.statusCode();
        if (status >= 500) {
            return "5xx " + status;
        }
        if (status >= 400) {
            String prefix = api.anthropicErrors() ? "{\"type\":\"error\",\"error\":{" : "{\"error\":{";
            return r.body().startsWith(prefix) ? null : status + " without the API's error body";
        }
        if (status != 200) {
            return "unexpected status " + status;
        }
        // a 200 stream that failed half-way carries an error event instead of the answer
        return r.body().contains("\"error\"") && !r.body().startsWith("{") ? "stream ended in an error" : null;
    }

    private static HttpRequest post(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key).header("x-api-key", key)
                .header("Content-Type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    // ---- the generator ----------------------------------------------------------------------------------------

    /** The API's template with a random model and stream flag, then one to three mutations. */
    static String mutate(Api api, Random r) {
        JsonNode tree;
        try {
            tree = JSON.readTree(api.template());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ObjectNode root = (ObjectNode) tree;
        root.put("model", MODELS.get(r.nextInt(MODELS.size())));
        if (root.has("stream")) {
            root.put("stream", r.nextBoolean());
        }
        for (int m = 1 + r.nextInt(3); m > 0; m--) {
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            Slot slot = slots.get(r.nextInt(slots.size()));
            switch (r.nextInt(10)) {
                case 0 -> slot.remove();
                case 1 -> {
                    if (slot.value() instanceof ObjectNode o) {
                        o.set(FIELDS[r.nextInt(FIELDS.length)], value(r, 0));
                    } else {
                        slot.replace(value(r, 0));
                    }
                }
                case 2 -> {
                    if (slot.value() instanceof ArrayNode a && !a.isEmpty()) {
                        JsonNode first = a.get(0);
                        for (int k = r.nextInt(200); k > 0; k--) {
                            a.add(first.deepCopy());
                        }
                    } else {
                        slot.replace(value(r, 0));
                    }
                }
                default -> slot.replace(value(r, 0));
            }
        }
        return root.toString();
    }

    /** Field names a client might add: real ones of other APIs, and nonsense. */
    private static final String[] FIELDS = {"type", "role", "content", "text", "tools", "tool_choice", "max_tokens", "stream",
            "n", "logprobs", "top_logprobs", "functions", "thinking", "cache_control", "input_schema", "parts", "system",
            "max_completion_tokens", "reasoning_effort", "__proto__", "", "\u0000", "🙂"};

    private static final JsonNode[] NUMBERS = {
            NODES.numberNode(Integer.MAX_VALUE), NODES.numberNode(Integer.MIN_VALUE), NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(Long.MIN_VALUE), NODES.numberNode(BigInteger.TWO.pow(64)), NODES.numberNode(1e308),
            NODES.numberNode(-1e308), NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(1.5), NODES.numberNode(4097)};

    private static final String[] STRINGS = {"", " ", "\u0000", "\uFEFF", "\u202E", "🙂".repeat(50), "e\u0301", "\uFFFF",
            "auto", "none", "required", "user", "assistant", "system", "tool", "developer", "function", "text", "image",
            "image_url", "tool_use", "tool_result", "json_schema", "base64", "data:image/png;base64,", "data:,",
            "http://169.254.169.254/latest/meta-data/", "{\"json\":\"in a string\"}"};

    private static JsonNode value(Random r, int depth) {
        int pick = r.nextInt(depth > 2 ? 5 : 8);
        return switch (pick) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NUMBERS[r.nextInt(NUMBERS.length)];
            case 3 -> NODES.textNode(STRINGS[r.nextInt(STRINGS.length)]);
            case 4 -> NODES.textNode("x".repeat(r.nextInt(20_000)));
            case 5 -> {
                ArrayNode a = NODES.arrayNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    a.add(value(r, depth + 1));
                }
                yield a;
            }
            case 6 -> {
                ObjectNode o = NODES.objectNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    o.set(FIELDS[r.nextInt(FIELDS.length)], value(r, depth + 1));
                }
                yield o;
            }
            default -> {
                JsonNode deep = NODES.textNode("bottom");
                for (int k = r.nextInt(400); k > 0; k--) {
                    deep = r.nextBoolean() ? NODES.arrayNode().add(deep) : NODES.objectNode().set("content", deep);
                }
                yield deep;
            }
        };
    }

    /** A place in the tree: an object's field or an array's element. */
    private record Slot(JsonNode parent, String field, int index, JsonNode value) {
        void replace(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(field, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                slots.add(new Slot(o, e.getKey(), -1, e.getValue()));
                collect(e.getValue(), slots);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                slots.add(new Slot(a, null, i, a.get(i)));
                collect(a.get(i), slots);
            }
        }
    }

    // ---- the fake upstreams: always a good answer in the provider's wire format -----------------------------------

    private static final String USAGE = "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}";

    private static Reply openAiAnswer(FakeUpstream.Received req) {
        boolean stream = streamRequested(req);
        if (req.path().endsWith("/embeddings")) {
            return Reply.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
                    + "\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
        }
        if (!req.path().endsWith("/chat/completions")) {
            String choice = "{\"text\":\"hi\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}";
            return stream
                    ? Reply.sse(List.of("data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":["
                    + choice + "]," + USAGE + "}\n\n", "data: [DONE]\n\n"))
                    : Reply.json(200, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":["
                    + choice + "]," + USAGE + "}");
        }
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",";
        return stream
                ? Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: " + head + "\"choices\":[]," + USAGE + "}\n\n",
                "data: [DONE]\n\n"))
                : Reply.json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]," + USAGE + "}");
    }

    private static Reply anthropicAnswer(FakeUpstream.Received req) {
        if (req.path().endsWith("/count_tokens")) {
            return Reply.json(200, "{\"input_tokens\":12}");
        }
        String usage = "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}";
        return streamRequested(req)
                ? Reply.sse(List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null," + usage + "}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":1}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
                : Reply.json(200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null," + usage + "}");
    }

    private static Reply geminiAnswer(FakeUpstream.Received req) {
        if (req.path().endsWith(":countTokens")) {
            return Reply.json(200, "{\"totalTokens\":12}");
        }
        if (req.path().contains("mbedContent")) {
            return Reply.json(200, "{\"embeddings\":[{\"values\":[0.1,0.2]}],\"embedding\":{\"values\":[0.1,0.2]}}");
        }
        String answer = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":1,\"totalTokenCount\":6},\"modelVersion\":\"gemini-2.5-flash\"}";
        return req.path().contains(":streamGenerateContent") ? Reply.sse(List.of("data: " + answer + "\r\n\r\n")) : Reply.json(200, answer);
    }

    private static boolean streamRequested(FakeUpstream.Received req) {
        try {
            return JSON.readTree(req.bytes()).path("stream").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…(" + s.length() + " chars)";
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Keeps the server log's errors and exceptions only (a whole run's DEBUG events would fill the heap). */
    private static final class ErrorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
        private final Logger root;

        ErrorLog() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            setContext(context);
            start();
            root.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent e) {
            if ((e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null) && messages.size() < 50) {
                messages.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " / " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()));
            }
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
        }
    }
}
