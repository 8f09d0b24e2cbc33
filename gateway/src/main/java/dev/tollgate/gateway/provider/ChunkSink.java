package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/** Receives a stream's chunks, in OpenAI's {@code chat.completion.chunk} (or completion) format, one at a time. */
public interface ChunkSink {

    /**
     * Sends one chunk to the client now (no buffering).
     *
     * @param chunk the parsed chunk
     * @param raw   its JSON bytes when the provider has them unchanged, else null (the sink serializes {@code chunk})
     * @throws IOException when the client has gone away; the provider must stop and release the upstream
     */
    void send(JsonNode chunk, byte[] raw) throws IOException;
}
