package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI's Responses API passed through: the body sent upstream, the usage of a whole answer, and the relay of a
 * stream's events (each unchanged) up to the final one that carries the usage.
 */
final class ResponsesRelay {

    private ResponsesRelay() {
    }

    /** The client's body with the backend's {@code model} and the attempt's {@code stream}; nothing else changes. */
    static ObjectNode upstreamBody(ProviderRequest request, ObjectNode responsesBody) {
        ObjectNode body = responsesBody.deepCopy();
        body.put("model", request.backend().model());
        if (request.stream()) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        return body;
    }

    /** A whole Responses object as the upstream sent it, with its usage (or its output text when it reports none). */
    static ProviderResponse answer(String backend, byte[] body) {
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend, "not JSON");
        }
        if (response == null || !response.isObject() || !"response".equals(response.path("object").asText())) {
            throw UpstreamException.badResponse(backend, "not a Responses object");
        }
        Usage usage = OpenAiUsage.read(response.get("usage"));
        return new ProviderResponse(body, usage, usage == null ? outputText(response) : null);
    }

    static StreamResult relay(String backend, InputStream in, ChunkSink sink) throws IOException {
        SseEvents events = new SseEvents(in, backend);
        while (true) {
            SseEvents.Event event = events.next();
            if (event == null) {
                throw UpstreamException.badResponse(backend, "the stream ended before response.completed");
            }
            JsonNode data;
            try {
                data = Json.MAPPER.readTree(event.data());
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "an event is not JSON");
            }
            if (data == null || !data.path("type").isTextual()) {
                throw UpstreamException.badResponse(backend, "an event has no type");
            }
            String type = data.get("type").asText();
            if (type.equals("error")) {
                throw UpstreamException.badResponse(backend, data.path("message").asText("error event"));
            }
            sink.send(data, event.data().getBytes(StandardCharsets.UTF_8));
            if (type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed")) {
                return new StreamResult(OpenAiUsage.read(data.path("response").get("usage")));
            }
        }
    }

    /** The text of every {@code output_text} part of a Responses object. */
    static String outputText(JsonNode response) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : response.path("output")) {
            for (JsonNode part : item.path("content")) {
                if ("output_text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText(""));
                }
            }
        }
        return text.toString();
    }
}
