package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.translate.UpstreamCalls;
import dev.tollgate.gateway.usage.OpenAiUsage;
import dev.tollgate.gateway.usage.Usage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import dev.tollgate.gateway.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Any OpenAI-compatible upstream. The request goes upstream as the client sent it (fields the gateway does not
 * interpret pass unchanged) with only {@code model} replaced. Streams ask the upstream for usage and hide that
 * extra chunk from clients that did not ask for it.
 */
public final class OpenAiProvider implements Provider {

    private final UpstreamHttp http;
    private final String id;
    private final OpenAiTarget target;

    public OpenAiProvider(UpstreamHttp http) {
        this(http, "openai", OpenAiTarget.BEARER);
    }

    /** An OpenAI-compatible provider under another id, URL layout or auth header. */
    public OpenAiProvider(UpstreamHttp http, String id, OpenAiTarget target) {
        this.http = http;
        this.id = id;
        this.target = target;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        BackendConfig backend = request.backend();
        UpstreamCalls.JsonAnswer answer = UpstreamCalls.postForJson(http, request, target.uri(backend, request.endpoint()), headers(request), Json.bytes(upstreamBody(request)),
                (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        UpstreamResponse<byte[]> response = answer.response();
        JsonNode json = answer.json();
        if (json == null || !json.isObject()) {
            throw UpstreamException.badResponse(backend.name(), "not a JSON object");
        }
        return new ProviderResponse(response.body(), OpenAiUsage.read(json.get("usage")), usage(json) == null ? text(json) : null);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, target.uri(backend, request.endpoint()), headers(request), Json.bytes(upstreamBody(request)),
                (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        try (InputStream body = response.body()) {
            return relay(backend.name(), body, request.clientWantsUsage(), sink);
        }
    }

    private static StreamResult relay(String backend, InputStream body, boolean clientWantsUsage, ChunkSink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
        Usage usage = null;
        boolean done = false;
        String line;
        while (!done) {
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "the stream broke off");
            }
            if (line == null) {
                throw UpstreamException.badResponse(backend, "the stream ended without [DONE]");
            }
            if (!line.startsWith("data:")) {
                continue; // blank separators, comments, event: lines
            }
            String payload = line.substring(line.charAt(5) == ' ' ? 6 : 5);
            if (payload.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk;
            try {
                chunk = Json.MAPPER.readTree(payload);
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "a chunk is not JSON");
            }
            if (chunk.has("error")) {
                throw UpstreamException.badResponse(backend, chunk.path("error").path("message").asText("error event"));
            }
            Usage chunkUsage = OpenAiUsage.read(chunk.get("usage"));
            if (chunkUsage == null && chunk.path("choices").isArray() && chunk.path("choices").isEmpty()) {
                continue; // e.g. Azure's prompt_filter_results chunk: no choice, nothing for the client
            }
            if (chunkUsage != null) {
                usage = chunkUsage;
                if (!clientWantsUsage && chunk.path("choices").isEmpty()) {
                    continue; // the usage-only chunk the gateway asked for, hidden from this client
                }
            }
            sink.send(chunk, payload.getBytes(StandardCharsets.UTF_8));
        }
        return new StreamResult(usage);
    }

    private static ObjectNode upstreamBody(ProviderRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", request.backend().model());
        if (request.stream() && request.endpoint() != Endpoint.EMBEDDINGS) {
            ObjectNode options = body.has("stream_options") && body.get("stream_options").isObject()
                    ? (ObjectNode) body.get("stream_options") : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return body;
    }

    private Map<String, String> headers(ProviderRequest request) {
        Map<String, String> headers = new HashMap<>(4);
        target.authenticate(request.backend(), headers);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }

    private static Usage usage(JsonNode json) {
        return OpenAiUsage.read(json.get("usage"));
    }

    private static String text(JsonNode json) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode choice : json.path("choices")) {
            sb.append(choice.path("message").path("content").asText(""));
            sb.append(choice.path("text").asText(""));
        }
        return sb.toString();
    }
}
