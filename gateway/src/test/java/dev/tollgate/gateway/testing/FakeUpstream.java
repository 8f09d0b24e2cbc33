package dev.tollgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake provider upstream over real HTTP: records every request (path, query, headers, body) and answers with what
 * the test scripted, byte for byte in the provider's own wire format (JSON, SSE events, NDJSON or binary frames).
 */
public final class FakeUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the upstream saw it; header names lower-case. */
    public record Received(String path, String query, Map<String, String> headers, byte[] bytes) {
        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (Exception e) {
                throw new AssertionError("upstream request body is not JSON", e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What to answer: a status, headers, and body parts written and flushed one after another. */
    public record Reply(int status, Map<String, String> headers, List<byte[]> parts) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of("content-type", "application/json"), List.of(body.getBytes(StandardCharsets.UTF_8)));
        }

        public static Reply json(int status, String body, Map<String, String> extraHeaders) {
            Map<String, String> h = new TreeMap<>(extraHeaders);
            h.put("content-type", "application/json");
            return new Reply(status, h, List.of(body.getBytes(StandardCharsets.UTF_8)));
        }

        /** Server-sent events, each given as its whole text (e.g. {@code event: x\ndata: {...}\n\n}). */
        public static Reply sse(List<String> events) {
            return new Reply(200, Map.of("content-type", "text/event-stream"),
                    events.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList());
        }

        public static Reply stream(String contentType, List<byte[]> parts) {
            return new Reply(200, Map.of("content-type", contentType), parts);
        }
    }

    private final Javalin app;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private static final Function<Received, Reply> UNSCRIPTED = r -> Reply.json(500, "{}");

    private volatile Function<Received, Reply> responder = UNSCRIPTED;
    private volatile boolean recording = true;

    public FakeUpstream() {
        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/*", this::handle);
        }).start("127.0.0.1", 0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public FakeUpstream respond(Function<Received, Reply> responder) {
        this.responder = responder;
        return this;
    }

    /** Stops keeping the requests (long runs: the responder still sees each one). */
    public FakeUpstream forgetting() {
        recording = false;
        return this;
    }

    /** Forgets every request and answers 500 again until scripted, as a new upstream would. */
    public void reset() {
        received.clear();
        responder = UNSCRIPTED;
        recording = true;
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.getLast();
    }

    private void handle(Context ctx) throws Exception {
        Map<String, String> headers = new TreeMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        Received r = new Received(ctx.path(), ctx.queryString(), headers, ctx.bodyAsBytes());
        if (recording) {
            received.add(r);
        }
        Reply reply = responder.apply(r);
        ctx.status(reply.status());
        reply.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("content-type")) {
                ctx.res().setContentType(v);
            } else {
                ctx.header(k, v);
            }
        });
        OutputStream out = ctx.res().getOutputStream();
        for (byte[] part : reply.parts()) {
            out.write(part);
            out.flush();
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
