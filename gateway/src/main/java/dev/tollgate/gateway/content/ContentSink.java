package dev.tollgate.gateway.content;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.config.KeyPolicy;

import java.util.function.Supplier;

/** Where the request path hands a finished request's text; the implementation decides by policy what to keep. */
@FunctionalInterface
public interface ContentSink {

    /** Keeps nothing. */
    ContentSink NONE = (requestId, key, request, response) -> { };

    /**
     * Must return at once: redaction and storage happen off the request path.
     *
     * @param key      the authenticated key (its policy may override the gateway's)
     * @param request  the parsed request body, null if it never parsed
     * @param response the generated text (may supply null); called only when the policy keeps content, so the
     *                 request path never builds the text for nothing
     */
    void record(String requestId, KeyPolicy key, JsonNode request, Supplier<String> response);
}
