package dev.tollgate.gateway.provider.anthropic;

import java.io.IOException;

/** Receives an Anthropic Messages stream's events unchanged, for clients that speak the Messages API themselves. */
public interface AnthropicEventSink {

    /**
     * Sends one event to the client now.
     *
     * @param name the SSE event name ({@code message_start}, {@code content_block_delta}, ...)
     * @param data its JSON data, as the upstream sent it
     * @throws IOException when the client has gone away
     */
    void event(String name, String data) throws IOException;
}
