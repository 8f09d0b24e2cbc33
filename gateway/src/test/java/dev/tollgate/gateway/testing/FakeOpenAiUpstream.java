package dev.tollgate.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake OpenAI-compatible upstream over real HTTP that speaks OpenAI's wire format: chat completions (whole and
 * SSE with a usage chunk when {@code stream_options.include_usage} is set), completions and embeddings. Records every
 * request it receives. Behaviour can be switched per test.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the next requests get: a normal answer, the configured error, no answer at all (hang until closed), a
     * stream that stalls after its first content chunk, or a stream whose first chunk comes only after
     * {@link #firstChunkDelayMillis}.
     */
    public enum Mode { OK, ERROR, HANG, STALL_MID_STREAM, SLOW_FIRST_CHUNK }

    private final Javalin app;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;
    private volatile int errorStatus = 500;
    private volatile String errorBody = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}";
    private volatile String retryAfter;
    private volatile long chunkDelayMillis;
    private volatile boolean burst;
    private volatile String[] words = {"Hello", " from", " the", " fake", " upstream", "."};
    private volatile int promptTokens = 11;
    private volatile int completionTokens = 6;
    private volatile int cachedTokens = 0;
    private volatile boolean reportUsage = true;
    private final AtomicReference<CountDownLatch> releaseLastChunk = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<Mode> script = new ConcurrentLinkedDeque<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile long firstChunkDelayMillis;
    private volatile double failureRate;
    private volatile Random failureRandom;
    private final java.util.concurrent.atomic.AtomicInteger streamsFinished = new java.util.concurrent.atomic.AtomicInteger();

    /** One request as the upstream saw it ({@code traceparent}: the W3C trace context header, null when none came). */
    public record Received(String path, String authorization, JsonNode body, String rawBody, String traceparent) {
    }

    public FakeOpenAiUpstream() {
        app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.routes.post("/v1/chat/completions", ctx -> handle(ctx, "chat"));
            config.routes.post("/v1/completions", ctx -> handle(ctx, "completions"));
            config.routes.post("/v1/embeddings", ctx -> handle(ctx, "embeddings"));
        }).start("127.0.0.1", 0);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port() + "/v1";
    }

    public List<Received> received() {
        return received;
    }

    public FakeOpenAiUpstream failWith(int status, String body, String retryAfterSeconds) {
        this.mode = Mode.ERROR;
        this.errorStatus = status;
        this.errorBody = body;
        this.retryAfter = retryAfterSeconds;
        return this;
    }

    public FakeOpenAiUpstream succeed() {
        this.mode = Mode.OK;
        return this;
    }

    /** Every request from now on gets {@code mode}. */
    public FakeOpenAiUpstream mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** The next requests get these modes, one each, in order; then the standing mode applies again. */
    public FakeOpenAiUpstream then(Mode... modes) {
        script.addAll(List.of(modes));
        return this;
    }

    /** A share of requests (drawn from a seeded random source) gets the configured error instead of the standing mode. */
    public FakeOpenAiUpstream failRandomly(double rate, long seed) {
        this.failureRandom = new Random(seed);
        this.failureRate = rate;
        return this;
    }

    /** Delay before the first chunk under {@link Mode#SLOW_FIRST_CHUNK}. */
    public FakeOpenAiUpstream firstChunkDelayMillis(long millis) {
        this.firstChunkDelayMillis = millis;
        return this;
    }

    /** Complete answers (whole or streamed to {@code [DONE]}) sent so far: what a provider would bill. */
    public int answered() {
        return answered.get();
    }

    /** Streams are sent whole, in one write: every chunk reaches the gateway at once. */
    public FakeOpenAiUpstream burst() {
        this.burst = true;
        return this;
    }

    public FakeOpenAiUpstream chunkDelayMillis(long millis) {
        this.chunkDelayMillis = millis;
        return this;
    }

    public FakeOpenAiUpstream usage(int prompt, int completion, int cached) {
        this.promptTokens = prompt;
        this.completionTokens = completion;
        this.cachedTokens = cached;
        return this;
    }

    public FakeOpenAiUpstream reportUsage(boolean report) {
        this.reportUsage = report;
        return this;
    }

    public FakeOpenAiUpstream words(String... words) {
        this.words = words;
        return this;
    }

    /** Holds the last chunk of the next streams until the returned latch is counted down. */
    public CountDownLatch holdLastChunk() {
        CountDownLatch latch = new CountDownLatch(1);
        releaseLastChunk.set(latch);
        return latch;
    }

    /** The most requests this upstream was serving at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(Context ctx, String kind) throws Exception {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            serve(ctx, kind);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void serve(Context ctx, String kind) throws Exception {
        byte[] bytes = ctx.bodyAsBytes();
        JsonNode body = JSON.readTree(bytes);
        received.add(new Received(ctx.path(), ctx.header("Authorization"), body, new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                ctx.header("traceparent")));
        Mode mode = nextMode();
        if (mode == Mode.HANG) {
            closed.await(60, TimeUnit.SECONDS);
            return;
        }
        if (mode == Mode.ERROR) {
            if (retryAfter != null) {
                ctx.header("retry-after", retryAfter);
            }
            ctx.status(errorStatus).contentType("application/json").result(errorBody);
            return;
        }
        String model = body.path("model").asText();
        if (kind.equals("embeddings")) {
            ctx.contentType("application/json").result("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.1,0.2,0.3]}],\"model\":\"" + model + "\",\"usage\":{\"prompt_tokens\":" + promptTokens
                    + ",\"total_tokens\":" + promptTokens + "}}");
            answered.incrementAndGet();
            return;
        }
        boolean chat = kind.equals("chat");
        if (body.path("stream").asBoolean(false)) {
            stream(ctx, model, chat, body.path("stream_options").path("include_usage").asBoolean(false), mode);
            return;
        }
        String text = String.join("", words);
        String choice = chat
                ? "{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(text) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}"
                : "{\"index\":0,\"text\":" + JSON.writeValueAsString(text) + ",\"logprobs\":null,\"finish_reason\":\"stop\"}";
        ctx.contentType("application/json").result("{\"id\":\"chatcmpl-fake1\",\"object\":\"" + (chat ? "chat.completion" : "text_completion")
                + "\",\"created\":1700000000,\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[" + choice + "]"
                + (reportUsage ? ",\"usage\":" + usageJson() : "") + "}");
        answered.incrementAndGet();
    }

    private Mode nextMode() {
        Mode scripted = script.poll();
        if (scripted != null) {
            return scripted;
        }
        Random random = failureRandom;
        if (random != null) {
            synchronized (random) {
                if (random.nextDouble() < failureRate) {
                    return Mode.ERROR;
                }
            }
        }
        return mode;
    }

    private void stream(Context ctx, String model, boolean chat, boolean includeUsage, Mode mode) throws IOException, InterruptedException {
        if (mode == Mode.SLOW_FIRST_CHUNK) {
            closed.await(firstChunkDelayMillis, TimeUnit.MILLISECONDS);
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        OutputStream wire = ctx.res().getOutputStream();
        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        OutputStream out = burst ? whole : wire;
        String prefix = "{\"id\":\"chatcmpl-fake1\",\"object\":\"" + (chat ? "chat.completion.chunk" : "text_completion")
                + "\",\"created\":1700000000,\"model\":\"" + model + "\",\"system_fingerprint\":\"fp_fake\",\"choices\":[";
        String usageTail = includeUsage && reportUsage ? ",\"usage\":null" : "";
        if (chat) {
            write(out, prefix + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]" + usageTail + "}");
        }
        for (String word : words) {
            sleep();
            String choice = chat
                    ? "{\"index\":0,\"delta\":{\"content\":" + JSON.writeValueAsString(word) + "},\"logprobs\":null,\"finish_reason\":null}"
                    : "{\"index\":0,\"text\":" + JSON.writeValueAsString(word) + ",\"logprobs\":null,\"finish_reason\":null}";
            write(out, prefix + choice + "]" + usageTail + "}");
            if (mode == Mode.STALL_MID_STREAM) {
                closed.await(60, TimeUnit.SECONDS);
                return;
            }
        }
        CountDownLatch hold = releaseLastChunk.getAndSet(null);
        if (hold != null) {
            hold.await(30, TimeUnit.SECONDS);
        }
        String last = chat ? "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}"
                : "{\"index\":0,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"stop\"}";
        write(out, prefix + last + "]" + usageTail + "}");
        if (includeUsage && reportUsage) {
            write(out, prefix + "],\"usage\":" + usageJson() + "}");
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (burst) {
            wire.write(whole.toByteArray());
            wire.flush();
        }
        answered.incrementAndGet();
        streamsFinished.incrementAndGet();
    }

    /** Streams this upstream has written to the end. */
    public int streamsFinished() {
        return streamsFinished.get();
    }

    private String usageJson() {
        return "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
                + (promptTokens + completionTokens) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cachedTokens
                + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}";
    }

    private static void write(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void sleep() throws InterruptedException {
        if (chunkDelayMillis > 0) {
            Thread.sleep(chunkDelayMillis);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        app.stop();
    }
}
