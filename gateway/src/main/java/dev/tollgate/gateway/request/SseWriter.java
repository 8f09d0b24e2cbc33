package dev.tollgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.ErrorBodies;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a stream to the client as server-sent events, flushing every chunk unless the provider holds it back
 * because the next one has already arrived. Headers are committed with the first
 * chunk, so until then a failure can still become a normal JSON error (or a failover).
 */
final class SseWriter implements ClientStream {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServletResponse response;
    private final StringBuilder text = new StringBuilder();
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private volatile SseOutput out;
    private long firstByteNanos;

    SseWriter(HttpServletResponse response) {
        this.response = response;
    }

    @Override
    public void send(JsonNode chunk, byte[] raw) throws IOException {
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode content = choice.path("delta").path("content");
        String chunkText = content.isTextual() ? content.asText() : choice.path("text").isTextual() ? choice.get("text").asText() : null;
        write(raw != null ? raw : Json.bytes(chunk), chunkText);
        out.flush();
    }

    @Override
    public void sendJson(byte[] json, String chunkText, boolean hold) throws IOException {
        write(json, chunkText);
        if (!hold) {
            out.flush();
        }
    }

    private void write(byte[] json, String chunkText) throws IOException {
        if (out == null) {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setHeader("cache-control", "no-cache");
            response.setHeader("x-accel-buffering", "no");
            out = new SseOutput(response.getOutputStream());
            firstByteNanos = System.nanoTime();
        }
        if (chunkText != null) {
            text.append(chunkText);
        }
        out.write(DATA);
        out.write(json);
        out.write(END);
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Ends a successful stream with {@code data: [DONE]}. */
    @Override
    public void done() throws IOException {
        out.write(DONE);
        out.flush();
    }

    /** Ends a stream that failed after its first byte with an OpenAI-shaped error event. */
    @Override
    public void fail(GatewayException error) {
        try {
            out.write(DATA);
            out.write(ErrorBodies.toBytes(error));
            out.write(END);
            out.write(DONE);
            out.flush();
        } catch (IOException ignored) {
            // the client is gone as well; the ledger still records the failure
        }
    }

    /** An SSE comment: every SSE client ignores it. */
    @Override
    public void keepAlive(long idleNanos) throws IOException {
        SseOutput o = out;
        if (o != null) {
            o.keepAlive(KEEP_ALIVE, idleNanos);
        }
    }

    @Override
    public boolean started() {
        return out != null;
    }

    /** {@link System#nanoTime()} of the first byte sent, 0 before. */
    @Override
    public long firstByteNanos() {
        return firstByteNanos;
    }

    /** The text streamed so far, for counting tokens when the provider reports none. */
    @Override
    public String text() {
        return text.toString();
    }
}
