package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.translate.BearerChatTranslator;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;

import java.io.IOException;
import java.util.List;

/**
 * Cohere's v2 Chat API ({@code POST /v2/chat}, {@code Authorization: Bearer}): messages, tools and tool results,
 * finish reasons, the SSE stream ({@code message-start}, {@code content-delta}, {@code tool-call-*},
 * {@code message-end}) and {@code billed_units} usage.
 */
public final class CohereTranslator extends BearerChatTranslator {

    public CohereTranslator() {
        super("/v2/chat", "text/event-stream", CohereRequests::translate, CohereResponses::error);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body, "message");
        String id = json.path("id").asText("chatcmpl-" + request.requestId());
        return OpenAiChat.answer(id, backend.model(), System.currentTimeMillis() / 1000, List.of(CohereResponses.choice(json)),
                CohereResponses.usage(json.get("usage")));
    }

    @Override
    protected StreamResult relay(ProviderRequest request, SseEvents events, ChunkEmitter out) throws IOException {
        return CohereStream.relay(request.backend().name(), events, out);
    }
}
