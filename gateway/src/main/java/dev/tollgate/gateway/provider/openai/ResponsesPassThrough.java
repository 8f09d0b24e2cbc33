package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.UpstreamResponse;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamCalls;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A client's own OpenAI Responses API request, passed through unchanged but for {@code model} (the backend's) and
 * {@code stream}. The answer is the upstream's Responses object as it sent it; a stream's events are relayed unchanged
 * (each sent as its parsed data, whose {@code type} names the event, with its raw bytes) for a sink that writes the
 * Responses event stream. The usage is read on the way, from the answer or the final event, for spend.
 */
final class ResponsesPassThrough implements Provider {

    private final String id;
    private final UpstreamHttp http;
    private final OpenAiTarget target;
    private final ObjectNode responsesBody;

    ResponsesPassThrough(String id, UpstreamHttp http, OpenAiTarget target, ObjectNode responsesBody) {
        this.id = id;
        this.http = http;
        this.target = target;
        this.responsesBody = responsesBody;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        BackendConfig backend = request.backend();
        UpstreamResponse<byte[]> response = UpstreamCalls.postForAnswer(http, request, target.responsesUri(backend), headers(request),
                upstreamBody(request), (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        return answer(backend.name(), response.body());
    }

    /**
     * {@inheritDoc} Every event up to the final {@code response.completed}, {@code response.incomplete} or
     * {@code response.failed}, whose usage is the stream's; an {@code error} event fails the attempt.
     */
    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, target.responsesUri(backend), headers(request),
                upstreamBody(request), (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        return UpstreamCalls.read(response, body -> relay(backend.name(), body, sink));
    }

    private byte[] upstreamBody(ProviderRequest request) {
        ObjectNode body = responsesBody.deepCopy();
        body.put("model", request.backend().model());
        if (request.stream()) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        return Json.bytes(body);
    }

    private Map<String, String> headers(ProviderRequest request) {
        Map<String, String> headers = new HashMap<>(4);
        target.authenticate(request.backend(), headers);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }

    private static ProviderResponse answer(String backend, byte[] body) {
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

    private static StreamResult relay(String backend, InputStream in, ChunkSink sink) throws IOException {
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
