package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.function.Function;

/**
 * A provider's chat API at one path under the backend's base URL, the key sent as a Bearer token
 * ({@link BearerHeaders}): the request, the error's retry-after and the stream's {@link ChunkEmitter} are made the same
 * way for each; a provider gives its body and how it reads its errors, whole answers and streams.
 */
public abstract class BearerChatTranslator implements Translator {

    /** Reads a provider's error answer into the client's error. */
    @FunctionalInterface
    public interface ErrorReader {
        UpstreamException error(String backend, int status, Duration retryAfter, byte[] body);
    }

    private final String path;
    private final String streamType;
    private final Function<ProviderRequest, ObjectNode> body;
    private final ErrorReader errors;

    /**
     * @param path       the chat API's path under the backend's base URL
     * @param streamType the {@code accept} type of a stream
     * @param body       the provider's request body for an OpenAI chat request
     * @param errors     reads the provider's error answers
     */
    protected BearerChatTranslator(String path, String streamType, Function<ProviderRequest, ObjectNode> body, ErrorReader errors) {
        this.path = path;
        this.streamType = streamType;
        this.body = body;
        this.errors = errors;
    }

    /** Reads the upstream stream ({@code events} over its body) to its end into {@code out}. */
    protected abstract StreamResult relay(ProviderRequest request, SseEvents events, ChunkEmitter out) throws IOException;

    @Override
    public final UpstreamRequest request(ProviderRequest request) {
        return new UpstreamRequest(UpstreamRequest.under(request.backend().baseUrl(), path), BearerHeaders.of(request, streamType),
                Json.bytes(body.apply(request)));
    }

    @Override
    public final UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return errors.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public final StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        return relay(request, new SseEvents(body, request.backend().name()), ChunkEmitter.of(sink, request));
    }
}
