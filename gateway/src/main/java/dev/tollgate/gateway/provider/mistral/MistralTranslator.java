package dev.tollgate.gateway.provider.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.BearerChatTranslator;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mistral's chat completions API ({@code POST /v1/chat/completions}, Bearer): OpenAI-like, but with its own request
 * fields ({@code random_seed}, {@code safe_prompt}, {@code tool_choice: any}), 9-character tool-call ids, tool calls
 * without {@code type}, usage in the last stream chunk, and its own error bodies. Requests are rebuilt from the
 * fields Mistral knows, since it refuses unknown ones.
 */
public final class MistralTranslator extends BearerChatTranslator {

    public MistralTranslator() {
        super("/chat/completions", "text/event-stream", MistralRequests::translate, MistralResponses::error);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body);
        if (!json.path("choices").isArray()) {
            throw UpstreamException.badResponse(backend.name(), "no choices");
        }
        Usage usage = MistralResponses.usage(json.get("usage"));
        List<OpenAiChat.Choice> choices = new ArrayList<>();
        for (JsonNode c : json.get("choices")) {
            choices.add(MistralResponses.choice(backend.name(), c, choices.size()));
        }
        return OpenAiChat.answer(json.path("id").asText("chatcmpl-" + request.requestId()), json.path("model").asText(backend.model()),
                json.path("created").asLong(System.currentTimeMillis() / 1000), choices, usage);
    }

    /** Chunks are OpenAI-shaped; the finish chunk carries usage; the stream ends with {@code data: [DONE]}. */
    @Override
    protected StreamResult relay(ProviderRequest request, SseEvents events, ChunkEmitter out) throws IOException {
        String backend = request.backend().name();
        Usage usage = null;
        String finishReason = null;
        boolean identified = false;
        Map<Integer, Integer> toolIndex = new HashMap<>();
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            if (event.data().equals("[DONE]")) {
                break;
            }
            JsonNode chunk = event.json(backend);
            if (chunk.has("object") && chunk.path("object").asText().equals("error")) {
                throw MistralResponses.error(backend, 500, null, event.data().getBytes(StandardCharsets.UTF_8));
            }
            if (!identified) {
                out.identify(chunk.path("id").asText(null), chunk.path("model").asText(null));
                identified = true;
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            out.text(MistralResponses.text(delta.get("content")));
            for (JsonNode call : delta.path("tool_calls")) {
                int upstreamIndex = call.path("index").asInt(toolIndex.size());
                Integer index = toolIndex.get(upstreamIndex);
                if (index == null) {
                    toolIndex.put(upstreamIndex, out.toolCallStart(call.path("id").asText(), call.path("function").path("name").asText(),
                            call.path("function").path("arguments").asText("")));
                } else {
                    out.toolCallArguments(index, call.path("function").path("arguments").asText(""));
                }
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
            Usage u = MistralResponses.usage(chunk.get("usage"));
            if (u != null) {
                usage = u;
            }
        }
        if (finishReason == null) {
            throw UpstreamException.badResponse(backend, "the stream ended without a finish reason");
        }
        out.finish(MistralResponses.finishReason(backend, finishReason, out.hasToolCalls()));
        out.usage(usage);
        return new StreamResult(usage);
    }
}
