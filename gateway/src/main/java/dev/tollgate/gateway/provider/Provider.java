package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * A provider as the pipeline calls it: an OpenAI-format request in, its answer (whole or streamed) in OpenAI's format
 * out. The pipeline never switches on provider names; it calls this. HTTP providers are an {@link UpstreamShell}
 * around their {@link Translator}.
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
     * This provider serving a client's own Anthropic Messages request ({@code messagesBody}, model replaced by the
     * backend's) and relaying the upstream's answer and events unchanged, or null when it does not speak that API
     * (the caller then translates to OpenAI's format and back).
     *
     * @param anthropicBeta the client's {@code anthropic-beta} header, forwarded when not null
     */
    default Provider anthropicMessages(ObjectNode messagesBody, String anthropicBeta) {
        return null;
    }

    /**
     * This provider counting the input tokens of a client's Anthropic Messages request as the upstream counts them: a
     * provider whose whole answer's usage carries the count as prompt tokens, or null when it cannot count them (the
     * caller then estimates).
     *
     * @param anthropicBeta the client's {@code anthropic-beta} header, forwarded when not null
     */
    default Provider anthropicTokenCount(ObjectNode messagesBody, String anthropicBeta) {
        return null;
    }

    /**
     * This provider serving a client's own OpenAI Responses API request ({@code responsesBody}, model replaced by the
     * backend's) and relaying the upstream's answer and events unchanged, or null when it does not serve that API (the
     * caller then translates to chat completions and back).
     */
    default Provider openAiResponses(ObjectNode responsesBody) {
        return null;
    }
}
