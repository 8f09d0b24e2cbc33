package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Cohere's v2 stream ({@code message-start}, {@code content-start/delta/end}, {@code tool-plan-delta},
 * {@code tool-call-start/delta/end}, {@code citation-*}, {@code message-end} with finish reason and usage) → OpenAI chunks.
 */
final class CohereStream {

    private CohereStream() {
    }

    static StreamResult relay(String backend, SseEvents events, ChunkEmitter out) throws IOException {
        Map<Integer, Integer> toolIndexByEvent = new HashMap<>();
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            JsonNode data = event.json(backend);
            String type = data.path("type").asText(event.name() == null ? "" : event.name());
            JsonNode message = data.path("delta").path("message");
            switch (type) {
                case "message-start" -> {
                    out.identify(data.path("id").asText(null), null);
                    out.role();
                }
                case "content-delta" -> out.text(message.path("content").path("text").asText(""));
                case "tool-call-start" -> {
                    JsonNode call = message.path("tool_calls");
                    int index = out.toolCallStart(call.path("id").asText(), call.path("function").path("name").asText(),
                            call.path("function").path("arguments").asText(""));
                    toolIndexByEvent.put(data.path("index").asInt(), index);
                }
                case "tool-call-delta" -> {
                    Integer index = toolIndexByEvent.get(data.path("index").asInt());
                    if (index != null) {
                        out.toolCallArguments(index, message.path("tool_calls").path("function").path("arguments").asText(""));
                    }
                }
                case "message-end" -> {
                    JsonNode delta = data.path("delta");
                    if ("ERROR".equals(delta.path("finish_reason").asText())) {
                        throw UpstreamErrors.map(backend, 500, null, delta.path("error").asText("the generation failed"), UpstreamErrors.Hint.NONE);
                    }
                    Usage usage = CohereResponses.usage(delta.get("usage"));
                    out.finish(CohereResponses.finishReason(delta.path("finish_reason").asText(null), out.hasToolCalls()));
                    out.usage(usage);
                    return new StreamResult(usage);
                }
                default -> {
                    // content-start/end, tool-plan-delta, tool-call-end, citation-start/end, debug: nothing to forward
                }
            }
        }
        throw UpstreamException.badResponse(backend, "the stream ended without message-end");
    }
}
