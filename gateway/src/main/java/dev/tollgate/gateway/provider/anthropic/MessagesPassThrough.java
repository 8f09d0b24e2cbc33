package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.PassThroughBody;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;

/**
 * A client's own Messages API request, passed through unchanged but for {@code model} (the backend's) and
 * {@code stream}; the answer is Anthropic's message as the upstream sent it, and a stream's events are relayed
 * unchanged (each sent as its parsed data, whose {@code type} is the event name, with its raw bytes) for a sink that
 * writes the Messages API's own event stream.
 */
final class MessagesPassThrough implements Translator {

    private final ObjectNode messagesBody;
    private final String anthropicBeta;

    MessagesPassThrough(ObjectNode messagesBody, String anthropicBeta) {
        this.messagesBody = messagesBody;
        this.anthropicBeta = anthropicBeta;
    }

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        return new UpstreamRequest(AnthropicTranslator.uri(request.backend()), AnthropicTranslator.headers(request, anthropicBeta),
                PassThroughBody.of(messagesBody, request));
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        JsonNode message = AnthropicTranslator.message(request.backend().name(), body);
        Usage usage = AnthropicResponses.usage(message.get("usage"));
        return new ProviderResponse(body, usage, usage == null ? AnthropicResponses.choice(message).content() : null);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return AnthropicResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        String backend = request.backend().name();
        return AnthropicStream.passThrough(backend, new SseEvents(body, backend), sink);
    }
}
