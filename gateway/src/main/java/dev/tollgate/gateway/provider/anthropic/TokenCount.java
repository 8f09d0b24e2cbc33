package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.List;

/**
 * Anthropic's own count of a Messages API request's input tokens ({@code POST /v1/messages/count_tokens}). Only the
 * fields that endpoint takes are sent (it refuses others, such as {@code max_tokens}); {@code model} is the backend's.
 * The answer's usage carries the count as its prompt tokens; there is no stream.
 */
final class TokenCount implements Translator {

    /** The request fields {@code /v1/messages/count_tokens} takes. */
    private static final List<String> FIELDS = List.of("model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers");

    private final ObjectNode messagesBody;
    private final String anthropicBeta;

    TokenCount(ObjectNode messagesBody, String anthropicBeta) {
        this.messagesBody = messagesBody;
        this.anthropicBeta = anthropicBeta;
    }

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        for (String field : FIELDS) {
            if (messagesBody.has(field)) {
                body.set(field, messagesBody.get(field));
            }
        }
        body.put("model", request.backend().model());
        return new UpstreamRequest(UpstreamRequest.under(request.backend().baseUrl(), "/v1/messages/count_tokens"),
                AnthropicTranslator.headers(request, anthropicBeta), Json.bytes(body));
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        String backend = request.backend().name();
        JsonNode tokens = JsonAnswer.object(backend, body).get("input_tokens");
        if (tokens == null || !tokens.isIntegralNumber() || !tokens.canConvertToLong() || tokens.longValue() < 0) {
            throw UpstreamException.badResponse(backend, "no input_tokens");
        }
        return new ProviderResponse(body, new Usage(tokens.longValue(), 0, 0, 0, false), null);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return AnthropicResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) {
        throw new UnsupportedOperationException("count_tokens answers whole");
    }
}
