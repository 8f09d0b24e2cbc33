package dev.tollgate.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.error.ErrorBodies;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a stream to the client as OpenAI's server-sent events ({@code data:} lines, {@code data: [DONE]} last),
 * flushing every chunk unless the provider holds it back because the next one has already arrived.
 */
final class SseWriter extends SseClientStream {

    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    SseWriter(HttpServletResponse response) {
        super(response, KEEP_ALIVE);
    }

    @Override
    public void send(JsonNode chunk, byte[] raw) throws IOException {
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode content = choice.path("delta").path("content");
        String chunkText = content.isTextual() ? content.asText() : choice.path("text").isTextual() ? choice.get("text").asText() : null;
        sendJson(raw != null ? raw : Json.bytes(chunk), chunkText, false);
    }

    @Override
    public void sendJson(byte[] json, String chunkText, boolean hold) throws IOException {
        if (chunkText != null) {
            appendText(chunkText);
        }
        writeEvent(null, json, hold);
    }

    /** Ends a successful stream with {@code data: [DONE]}. */
    @Override
    public void done() throws IOException {
        raw(DONE);
    }

    /** Ends a stream that failed after its first byte with an OpenAI-shaped error event. */
    @Override
    public void fail(GatewayException error) {
        try {
            writeEvent(null, ErrorBodies.toBytes(error), true);
            raw(DONE);
        } catch (IOException ignored) {
            // the client is gone as well; the ledger still records the failure
        }
    }
}
