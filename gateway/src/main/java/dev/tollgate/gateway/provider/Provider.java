package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * A provider's wire format: translates an OpenAI-format request to its upstream, and its answer (whole or
 * streamed) back to OpenAI's format. The pipeline never switches on provider names; it calls this.
 */
public interface Provider {

    /** Id used in backend configuration, e.g. {@code openai}. */
    String id();

    /** A whole answer. Throws {@link UpstreamException} when the upstream fails or refuses. */
    ProviderResponse call(ProviderRequest request);

    /**
     * A streamed answer, each chunk passed to {@code sink} as it arrives. Throws {@link UpstreamException} when the
     * upstream fails (before or after the first chunk); an {@link IOException} from the sink (client gone)
     * propagates after the upstream is released.
     */
    StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException;

    /**
     * This provider serving a client's own OpenAI Responses API request ({@code responsesBody}, model replaced by the
     * backend's) and relaying the upstream's answer and events unchanged, or null when it does not serve that API (the
     * caller then translates to chat completions and back).
     */
    default Provider openAiResponses(ObjectNode responsesBody) {
        return null;
    }
}
