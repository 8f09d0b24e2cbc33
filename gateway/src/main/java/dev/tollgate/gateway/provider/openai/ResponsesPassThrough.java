package dev.tollgate.gateway.provider.openai;

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
import dev.tollgate.gateway.provider.translate.PassThroughBody;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A client's own OpenAI Responses API request, passed through unchanged but for {@code model} (the backend's) and
 * {@code stream}. The answer is the upstream's Responses object as it sent it; a stream's events are relayed unchanged
 * (each sent as its parsed data, whose {@code type} names the event, with its raw bytes) for a sink that writes the
 * Responses event stream. The usage is read on the way, from the answer or the final event, for spend.
 */
final class ResponsesPassThrough implements Translator {

    private final OpenAiTarget target;
    private final ObjectNode responsesBody;

    ResponsesPassThrough(OpenAiTarget target, ObjectNode responsesBody) {
        this.target = target;
        this.responsesBody = responsesBody;
    }

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        Map<String, String> headers = new HashMap<>(4);
        target.authenticate(request.backend(), headers);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return new UpstreamRequest(target.responsesUri(request.backend()), headers, PassThroughBody.of(responsesBody, request));
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return OpenAiErrors.map(request.backend().name(), status, headers, body);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        String backend = request.backend().name();
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

    /**
     * Every event up to the final {@code response.completed}, {@code response.incomplete} or {@code response.failed},
     * whose usage is the stream's; an {@code error} event fails the attempt.
     */
    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream in, ChunkSink sink) throws IOException {
        String backend = request.backend().name();
        SseEvents events = new SseEvents(in, backend);
        while (true) {
            SseEvents.Event event = events.next();
            if (event == null) {
                throw UpstreamException.badResponse(backend, "the stream ended before response.completed");
            }
            JsonNode data = event.json(backend);
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
    private static String outputText(JsonNode response) {
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
