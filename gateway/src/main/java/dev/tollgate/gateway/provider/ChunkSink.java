package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;

import java.io.IOException;

/**
 * Receives a stream's chunks, in OpenAI's {@code chat.completion.chunk} (or completion) format, one at a time.
 * A provider that relays chunk bytes and knows more chunks have already arrived may {@link #sendJson hold} one back
 * so that several reach the client with one flush; it must then send one unheld or {@link #flush} before it waits
 * for the upstream again.
 */
public interface ChunkSink {

    /**
     * Sends one chunk to the client now (flushed).
     *
     * @param chunk the parsed chunk
     * @param raw   its JSON bytes when the provider has them unchanged, else null (the sink serializes {@code chunk})
     * @throws IOException when the client has gone away; the provider must stop and release the upstream
     */
    void send(JsonNode chunk, byte[] raw) throws IOException;

    /**
     * Sends a chunk the provider has only as valid JSON bytes, scanned but not parsed, with the text of its first
     * choice ({@code null} if none). A sink that relays bytes needs no tree; this default builds one for the others
     * and sends it at once.
     *
     * @param hold when true the chunk may wait in the output buffer until the next unheld chunk or {@link #flush}
     */
    default void sendJson(byte[] json, String text, boolean hold) throws IOException {
        send(Json.MAPPER.readTree(json), json);
    }

    /** Sends the chunks held back so far. */
    default void flush() throws IOException {
    }
}
