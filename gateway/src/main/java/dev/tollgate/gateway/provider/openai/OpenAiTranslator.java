package dev.tollgate.gateway.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.SseDataLines;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Any OpenAI-compatible upstream (OpenAI, Azure, the catalog's providers). The request goes upstream as the client
 * sent it (fields the gateway does not interpret pass unchanged) with only {@code model} replaced. Streams ask the
 * upstream for usage and hide that extra chunk from clients that did not ask for it.
 */
public final class OpenAiTranslator implements Translator {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    private final OpenAiTarget target;

    /** @param target the URL layout and auth header of this upstream */
    public OpenAiTranslator(OpenAiTarget target) {
        this.target = target;
    }

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        byte[] raw = request.stream() ? null : request.rawBodyFor(request.backend().model());
        Map<String, String> headers = new HashMap<>(4);
        target.authenticate(request.backend(), headers);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return new UpstreamRequest(target.uri(request.backend(), request.endpoint()), headers,
                raw != null ? raw : Json.bytes(upstreamBody(request)));
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        AnswerScan answer;
        try {
            answer = AnswerScan.of(body);
        } catch (IOException e) {
            throw UpstreamException.badResponse(request.backend().name(), "not a JSON object");
        }
        return new ProviderResponse(body, answer.usage(), answer.text());
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return OpenAiErrors.map(request.backend().name(), status, headers, body);
    }

    /** A pass-through of the client's own Responses API request when this upstream serves that API, else null. */
    @Override
    public Translator openAiResponses(ObjectNode responsesBody) {
        return target.servesResponses() ? new ResponsesPassThrough(target, responsesBody) : null;
    }

    /**
     * Relays the upstream's chunks as their bytes arrived (only parsed, never re-encoded). The first chunk is flushed
     * at once; a later one is held back while the next has already arrived, so a burst of chunks costs one flush.
     */
    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        String backend = request.backend().name();
        boolean clientWantsUsage = request.clientWantsUsage();
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
}
