package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.translate.SseDataLines;
import dev.tollgate.gateway.provider.translate.UpstreamCalls;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import dev.tollgate.gateway.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Any OpenAI-compatible upstream. The request goes upstream as the client sent it (fields the gateway does not
 * interpret pass unchanged) with only {@code model} replaced. Streams ask the upstream for usage and hide that
 * extra chunk from clients that did not ask for it.
 */
public final class OpenAiProvider implements Provider {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final UpstreamHttp http;
    private final String id;
    private final OpenAiTarget target;

    public OpenAiProvider(UpstreamHttp http) {
        this(http, "openai", OpenAiTarget.OPENAI);
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
        byte[] raw = request.rawBodyFor(backend.model());
        UpstreamResponse<byte[]> response = UpstreamCalls.postForAnswer(http, request, target.uri(backend, request.endpoint()), headers(request),
                raw != null ? raw : Json.bytes(upstreamBody(request)),
                (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        AnswerScan answer;
        try {
            answer = AnswerScan.of(response.body());
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend.name(), "not a JSON object");
        }
        return new ProviderResponse(response.body(), answer.usage(), answer.text());
    }

    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, target.uri(backend, request.endpoint()), headers(request), Json.bytes(upstreamBody(request)),
                (status, r, bytes) -> OpenAiErrors.map(backend.name(), status, r.headers(), bytes));
        return UpstreamCalls.read(response, body -> relay(backend.name(), body, request.clientWantsUsage(), sink));
    }

    /** A pass-through of the client's own Responses API request when this upstream serves that API, else null. */
    @Override
    public Provider openAiResponses(ObjectNode responsesBody) {
        return target.servesResponses() ? new ResponsesPassThrough(id, http, target, responsesBody) : null;
    }

    /**
     * Relays the upstream's chunks as their bytes arrived (only parsed, never re-encoded). The first chunk is flushed
     * at once; a later one is held back while the next has already arrived, so a burst of chunks costs one flush.
     */
    private static StreamResult relay(String backend, InputStream body, boolean clientWantsUsage, ChunkSink sink) throws IOException {
        SseDataLines lines = new SseDataLines(body, backend);
        Usage usage = null;
        boolean first = true;
        boolean held = false;
        while (true) {
            byte[] payload = lines.next();
            if (payload == null) {
                throw UpstreamException.badResponse(backend, "the stream ended without [DONE]");
            }
            if (Arrays.equals(payload, DONE)) {
                if (held) {
                    sink.flush();
                }
                return new StreamResult(usage);
            }
            ChunkScan chunk;
            try {
                chunk = ChunkScan.of(payload);
            } catch (IOException e) {
                throw UpstreamException.badResponse(backend, "a chunk is not JSON");
            }
            if (chunk.error() != null) {
                throw UpstreamException.badResponse(backend, chunk.error());
            }
            if (chunk.usage() != null) {
                usage = chunk.usage();
            }
            // e.g. Azure's prompt_filter_results chunk (choices: [], nothing for the client), or the usage-only chunk
            // the gateway asked for, hidden from a client that did not
            boolean skip = chunk.usage() == null ? chunk.choices() == 0 : !clientWantsUsage && chunk.choices() <= 0;
            boolean more = lines.dataBuffered();
            if (skip) {
                if (held && !more) {
                    sink.flush();
                    held = false;
                }
                continue;
            }
            held = !first && more;
            sink.sendJson(payload, chunk.text(), held);
            first = false;
        }
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
}
