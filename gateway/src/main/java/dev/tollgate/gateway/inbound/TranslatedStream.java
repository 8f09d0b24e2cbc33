package dev.tollgate.gateway.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.request.SseClientStream;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The stream of a client API that the gateway translates to chat. It reads the chat chunks of any backend (first
 * chunk, text, tool calls, finish reason, usage) and leaves to the API's writer which events they make; a native
 * backend's own events (data with a {@code type}, raw bytes given; chat chunks have an {@code object} instead) go to
 * {@link #relay} to be written unchanged.
 */
public abstract class TranslatedStream extends SseClientStream {

    private boolean relayed;
    private String finishReason;
    private Usage usage;

    protected TranslatedStream(HttpServletResponse response, byte[] keepAlive) {
        super(response, keepAlive);
    }

    /** Usage for the final event, when the provider reported it. */
    public final void usage(Usage reported) {
        if (reported != null) {
            this.usage = reported;
        }
    }

    @Override
    public final void send(JsonNode chunk, byte[] raw) throws IOException {
        if (raw != null && chunk.path("type").isTextual() && !chunk.has("object")) {
            relayed = true;
            relay(chunk, raw);
            return;
        }
        if (!started()) {
            start(chunk);
        }
        if (chunk.hasNonNull("usage")) {
            usage(OpenAiUsage.read(chunk.get("usage")));
        }
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        String content = delta.path("content").asText("");
        if (!content.isEmpty()) {
            text(content);
        }
        for (JsonNode call : delta.path("tool_calls")) {
            toolCall(call);
        }
        if (choice.hasNonNull("finish_reason")) {
            finishReason = choice.get("finish_reason").asText();
        }
    }

    /** Ends a translated stream with {@link #finish} (after {@link #start}, if no chunk came); a relayed one has ended. */
    @Override
    public final void done() throws IOException {
        if (relayed) {
            return;
        }
        if (!started()) {
            start(Json.MAPPER.createObjectNode());
        }
        finish();
    }

    /** Writes a native backend's own event unchanged, counting its text. */
    protected abstract void relay(JsonNode event, byte[] raw) throws IOException;

    /** Writes the events that open the stream, from the first chat chunk (an empty object when none came). */
    protected abstract void start(JsonNode firstChunk) throws IOException;

    /** Writes a piece of the answer's text; calls {@link #appendText}. */
    protected abstract void text(String content) throws IOException;

    /** Writes one {@code tool_calls} entry of a chunk's delta: a call's start (with its id) or more of its arguments. */
    protected abstract void toolCall(JsonNode call) throws IOException;

    /** Writes the events that end a successful stream. */
    protected abstract void finish() throws IOException;

    /** Whether the backend's own events were relayed. */
    protected final boolean relayed() {
        return relayed;
    }

    /** The chat finish reason, null until one came. */
    protected final String finishReason() {
        return finishReason;
    }

    /** The usage reported so far, or null. */
    protected final Usage usage() {
        return usage;
    }
}
