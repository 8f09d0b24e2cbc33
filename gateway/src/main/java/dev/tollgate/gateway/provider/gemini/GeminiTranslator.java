package dev.tollgate.gateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Google Gemini API ({@code models/<model>:generateContent} and {@code :streamGenerateContent?alt=sse} with the
 * {@code x-goog-api-key} header): roles, system instruction, tools, safety blocks as content-policy errors, usageMetadata.
 */
public final class GeminiTranslator implements Translator {

    static final String DEFAULT_VERSION = "v1beta";

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        byte[] body = Json.bytes(GeminiRequests.translate(request));
        return new UpstreamRequest(uri(request.backend(), request.stream()), headers(request), body);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return GeminiResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body);
        GeminiResponses.checkBlocked(backend.name(), json);
        List<OpenAiChat.Choice> choices = new ArrayList<>();
        int callIndex = 0;
        for (JsonNode candidate : json.path("candidates")) {
            JsonNode parts = candidate.path("content").path("parts");
            List<OpenAiChat.ToolCall> calls = new ArrayList<>();
            for (JsonNode p : parts) {
                if (p.has("functionCall")) {
                    calls.add(GeminiResponses.toolCall(p.get("functionCall"), callIndex++));
                }
            }
            String text = GeminiResponses.text(parts);
            String finish = GeminiResponses.finishReason(candidate.path("finishReason").asText("STOP"), !calls.isEmpty());
            choices.add(new OpenAiChat.Choice(candidate.path("index").asInt(choices.size()), text, calls, finish));
        }
        Usage usage = GeminiResponses.usage(json.get("usageMetadata"));
        String id = json.path("responseId").asText("chatcmpl-" + request.requestId());
        return OpenAiChat.answer(id, json.path("modelVersion").asText(backend.model()), System.currentTimeMillis() / 1000, choices, usage);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        return relay(backend.name(), new SseEvents(body, backend.name()), ChunkEmitter.of(sink, request));
    }

    /** Each event is a whole {@code GenerateContentResponse}; usage is cumulative; the stream ends without a sentinel. */
    private static StreamResult relay(String backend, SseEvents events, ChunkEmitter out) throws IOException {
        Usage usage = null;
        String finishReason = null;
        boolean started = false;
        int callIndex = 0;
        SseEvents.Event event;
        while ((event = events.next()) != null) {
            JsonNode json = event.json(backend);
            if (json.has("error")) {
                throw GeminiResponses.error(backend, json.path("error").path("code").asInt(500), null, event.data().getBytes(StandardCharsets.UTF_8));
            }
            if (!started) {
                GeminiResponses.checkBlocked(backend, json);
                out.identify(json.path("responseId").asText(null), json.path("modelVersion").asText(null));
                started = true;
            }
            JsonNode candidate = json.path("candidates").path(0);
            for (JsonNode p : candidate.path("content").path("parts")) {
                if (p.has("functionCall")) {
                    JsonNode call = p.get("functionCall");
                    out.toolCallStart(GeminiResponses.callId(call, callIndex++), call.path("name").asText(), OpenAiChat.arguments(call.get("args")));
                } else if (p.has("text") && !p.path("thought").asBoolean(false)) {
                    out.text(p.get("text").asText());
                }
            }
            if (candidate.hasNonNull("finishReason")) {
                finishReason = candidate.get("finishReason").asText();
            }
            Usage u = GeminiResponses.usage(json.get("usageMetadata"));
            if (u != null) {
                usage = u;
            }
        }
        if (!started) {
            throw UpstreamException.badResponse(backend, "the stream ended before any event");
        }
        out.finish(GeminiResponses.finishReason(finishReason == null ? "STOP" : finishReason, out.hasToolCalls()));
        out.usage(usage);
        return new StreamResult(usage);
    }

    private static URI uri(BackendConfig backend, boolean stream) {
        String base = backend.baseUrl().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String version = backend.apiVersion() != null ? backend.apiVersion() : DEFAULT_VERSION;
        return URI.create(base + "/" + version + "/models/" + URLEncoder.encode(backend.model(), StandardCharsets.UTF_8)
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    }

    private static Map<String, String> headers(ProviderRequest request) {
        Map<String, String> headers = new HashMap<>(4);
        if (request.backend().apiKey() != null && !request.backend().apiKey().isEmpty()) {
            headers.put("x-goog-api-key", request.backend().apiKey());
        }
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }
}
