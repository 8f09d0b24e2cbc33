package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;

/**
 * One provider's wire format, with no transport: what to send for an OpenAI-format request, and how to read the
 * upstream's answer, error and stream back into OpenAI's format. Pure: the same input gives the same output, so a
 * translator is tested with wire-format fixtures and no server. {@link UpstreamShell} does the HTTP for every one.
 */
public interface Translator {

    /**
     * The upstream request for one attempt. Throws {@link dev.tollgate.gateway.error.GatewayException} (400) when the
     * request asks for something the provider cannot do.
     */
    UpstreamRequest request(ProviderRequest request);

    /**
     * A 2xx whole answer in OpenAI's format. Throws {@link UpstreamException#badResponse} when the bytes are not the
     * answer the provider promises.
     */
    ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body);

    /** The client's error for a non-2xx answer ({@code body} is at most 64 KiB of it, possibly empty). */
    UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body);

    /**
     * Reads a 2xx streamed answer from {@code body} to its end, passing OpenAI chunks to {@code sink}. Throws
     * {@link UpstreamException} for an error event or a broken stream; an {@link IOException} from the sink (client
     * gone) propagates.
     */
    StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException;

    /**
     * A translator that sends a client's own Anthropic Messages request ({@code messagesBody}) as it is and relays the
     * answer unchanged, or null when this provider does not speak that API.
     */
    default Translator anthropicMessages(ObjectNode messagesBody, String anthropicBeta) {
        return null;
    }

    /**
     * A translator that asks the upstream for its own count of the input tokens of a client's Anthropic Messages request
     * (the count is the answer's prompt tokens), or null when this provider cannot count them.
     */
    default Translator anthropicTokenCount(ObjectNode messagesBody, String anthropicBeta) {
        return null;
    }

    /**
     * A translator that sends a client's own OpenAI Responses API request ({@code responsesBody}) as it is and relays
     * the answer unchanged, or null when this upstream does not serve that API.
     */
    default Translator openAiResponses(ObjectNode responsesBody) {
        return null;
    }
}
