package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's stream ({@code message_start}, {@code content_block_start/delta/stop}, {@code message_delta} with the
 * final output tokens, {@code message_stop}, {@code ping}, {@code error}) → OpenAI chunks.
 */
final class AnthropicStream {

    private AnthropicStream() {
    }

    static StreamResult relay(String backend, SseEvents events, ChunkEmitter out) throws IOException {
        Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        JsonNode startUsage = null;
        JsonNode lastUsage = null;
        String stopReason = null;
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            JsonNode data = event.json(backend);
            String type = event.name() != null ? event.name() : data.path("type").asText();
            switch (type) {
                case "message_start" -> {
                    JsonNode message = data.path("message");
                    out.identify(message.path("id").asText(null), message.path("model").asText(null));
                    startUsage = message.get("usage");
                    out.role();
                }
                case "content_block_start" -> {
                    JsonNode block = data.path("content_block");
                    if (block.path("type").asText().equals("tool_use")) {
                        int index = out.toolCallStart(block.path("id").asText(), block.path("name").asText(), "");
                        toolIndexByBlock.put(data.path("index").asInt(), index);
                    } else if (block.path("type").asText().equals("text")) {
                        out.text(block.path("text").asText(""));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> out.text(delta.path("text").asText());
                        case "input_json_delta" -> {
                            Integer index = toolIndexByBlock.get(data.path("index").asInt());
                            if (index != null) {
                                out.toolCallArguments(index, delta.path("partial_json").asText());
                            }
                        }
                        default -> {
                            // thinking and signature deltas have no OpenAI chat equivalent
                        }
                    }
                }
                case "message_delta" -> {
                    stopReason = data.path("delta").path("stop_reason").asText(null);
                    lastUsage = data.get("usage");
                }
                case "message_stop" -> {
                    Usage usage = merge(startUsage, lastUsage);
                    out.finish(AnthropicResponses.finishReason(stopReason));
                    out.usage(usage);
                    return new StreamResult(usage);
                }
                case "error" -> {
                    JsonNode error = data.path("error");
                    throw AnthropicResponses.error(backend, "overloaded_error".equals(error.path("type").asText()) ? 529 : 500, null,
                            error.path("type").asText(null), error.path("message").asText(null));
                }
                default -> {
                    // ping and future event types
                }
            }
        }
        throw UpstreamException.badResponse(backend, "the stream ended without message_stop");
    }

    /**
     * Relays every event unchanged to a client that speaks the Messages API, reading usage from {@code message_start}
     * and {@code message_delta} on the way; an {@code error} event becomes an {@link UpstreamException}.
     */
    static StreamResult passThrough(String backend, SseEvents events, ChunkSink sink) throws IOException {
        JsonNode startUsage = null;
        JsonNode lastUsage = null;
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            JsonNode data = event.json(backend);
            String type = event.name() != null ? event.name() : data.path("type").asText();
            switch (type) {
                case "message_start" -> startUsage = data.path("message").get("usage");
                case "message_delta" -> lastUsage = data.get("usage");
                case "error" -> {
                    JsonNode error = data.path("error");
                    throw AnthropicResponses.error(backend, "overloaded_error".equals(error.path("type").asText()) ? 529 : 500, null,
                            error.path("type").asText(null), error.path("message").asText(null));
                }
                default -> {
                    // every other event is relayed as it is
                }
            }
            sink.send(data, event.data().getBytes(StandardCharsets.UTF_8));
            if (type.equals("message_stop")) {
                return new StreamResult(merge(startUsage, lastUsage));
            }
        }
        throw UpstreamException.badResponse(backend, "the stream ended without message_stop");
    }

    /** {@code message_start} carries the input side; {@code message_delta} the cumulative output (and, lately, input) counts. */
    private static Usage merge(JsonNode start, JsonNode delta) {
        if (start == null && delta == null) {
            return null;
        }
        ObjectNode merged = Json.MAPPER.createObjectNode();
        if (start != null && start.isObject()) {
            merged.setAll((ObjectNode) start);
        }
        if (delta != null && delta.isObject()) {
            delta.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
        }
        return AnthropicResponses.usage(merged);
    }
}
