package dev.tollgate.gateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
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
import java.util.List;

/**
 * Ollama's native chat API ({@code POST /api/chat}): messages with base64 {@code images}, tools, {@code options}
 * (temperature, top_p, num_predict, stop, seed, penalties), {@code format}, the newline-delimited JSON stream, and
 * {@code prompt_eval_count}/{@code eval_count} usage. A key, when configured, is sent as a Bearer token (Ollama's
 * cloud, or a proxy in front of a server).
 */
public final class OllamaTranslator extends BearerChatTranslator {

    public OllamaTranslator() {
        super("/api/chat", "application/x-ndjson", OllamaRequests::translate, OllamaResponses::error);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body, "message");
        JsonNode message = json.get("message");
        List<OpenAiChat.ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            calls.add(OllamaResponses.toolCall(c, request.requestId(), calls.size()));
        }
        String text = message.path("content").asText("");
        OpenAiChat.Choice choice = new OpenAiChat.Choice(0, text, calls, OllamaResponses.finishReason(json.path("done_reason").asText(null), !calls.isEmpty()));
        return OpenAiChat.answer("chatcmpl-" + request.requestId(), json.path("model").asText(backend.model()),
                System.currentTimeMillis() / 1000, List.of(choice), OllamaResponses.usage(json));
    }

    /** One JSON object a line; the last has {@code done: true}, {@code done_reason} and the counts; errors are {@code {"error":...}} lines. */
    @Override
    protected StreamResult relay(ProviderRequest request, SseEvents lines, ChunkEmitter out) throws IOException {
        String backend = request.backend().name();
        String requestId = request.requestId();
        boolean identified = false;
        int calls = 0;
        String line;
        while ((line = lines.nextLine()) != null) {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "a line is not JSON");
            }
            if (json.has("error")) {
                throw OllamaResponses.error(backend, 500, null, line.getBytes(StandardCharsets.UTF_8));
            }
            if (!identified) {
                out.identify(null, json.path("model").asText(null));
                out.role();
                identified = true;
            }
            JsonNode message = json.path("message");
            out.text(message.path("content").asText(""));
            for (JsonNode c : message.path("tool_calls")) {
                OpenAiChat.ToolCall call = OllamaResponses.toolCall(c, requestId, calls++);
                out.toolCallStart(call.id(), call.name(), call.arguments());
            }
            if (json.path("done").asBoolean(false)) {
                Usage usage = OllamaResponses.usage(json);
                out.finish(OllamaResponses.finishReason(json.path("done_reason").asText(null), out.hasToolCalls()));
                out.usage(usage);
                return new StreamResult(usage);
            }
        }
        throw UpstreamException.badResponse(backend, "the stream ended before done");
    }
}
