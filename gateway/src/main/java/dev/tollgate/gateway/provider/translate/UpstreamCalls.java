package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.UpstreamResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/**
 * The call every provider makes the same way: POST the translated body with the route's timeouts, turn a non-2xx
 * answer into the provider's own error mapping, and (for whole answers) parse the JSON object. Providers keep only
 * what differs: URL, headers, body translation, error mapping and response translation.
 */
public final class UpstreamCalls {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private UpstreamCalls() {
    }

    /** Maps a provider's error answer (status, headers, body) to the error the client sees. */
    @FunctionalInterface
    public interface ErrorMapper {
        UpstreamException map(int status, UpstreamResponse<?> response, byte[] body);
    }

    /** A whole answer: the upstream's bytes as received and their parsed JSON object. */
    public record JsonAnswer(UpstreamResponse<byte[]> response, JsonNode json) {
    }

    public static JsonAnswer postForJson(UpstreamHttp http, ProviderRequest request, URI uri, Map<String, String> headers, byte[] body,
                                         ErrorMapper errors) {
        String backend = request.backend().name();
        UpstreamResponse<byte[]> response = postForAnswer(http, request, uri, headers, body, errors);
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw UpstreamException.badResponse(backend, "not JSON");
        }
        if (json == null || !json.isObject()) {
            throw UpstreamException.badResponse(backend, "not a JSON object");
        }
        return new JsonAnswer(response, json);
    }

    /** A whole 2xx answer as the upstream sent it, unparsed; a non-2xx answer is mapped by {@code errors}. */
    public static UpstreamResponse<byte[]> postForAnswer(UpstreamHttp http, ProviderRequest request, URI uri, Map<String, String> headers,
                                                         byte[] body, ErrorMapper errors) {
        UpstreamResponse<byte[]> response = http.postJson(request.backend().name(), uri, headers, body, request.timeout(),
                request.connectTimeout());
        if (response.statusCode() / 100 != 2) {
            throw errors.map(response.statusCode(), response, response.body());
        }
        return response;
    }

    /** {@code path} (starting with '/') under the backend's base URL, with or without a trailing slash there. */
    public static URI endpoint(dev.tollgate.api.config.BackendConfig backend, String path) {
        String base = backend.baseUrl().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /**
     * Headers of a provider that takes the backend's key as a Bearer token: {@code authorization} (when a key is set),
     * {@code accept} ({@code streamType} for streams, JSON otherwise) and the gateway's {@code x-request-id}.
     */
    public static Map<String, String> bearerHeaders(ProviderRequest request, String streamType) {
        Map<String, String> headers = new java.util.HashMap<>(4);
        String key = request.backend().apiKey();
        if (key != null && !key.isEmpty()) {
            headers.put("authorization", "Bearer " + key);
        }
        headers.put("accept", request.stream() ? streamType : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }

    /**
     * A streamed answer whose body the caller reads with {@link #read}; a non-2xx answer is read (64 KiB at most) and
     * mapped. An error body that breaks off is mapped on its status alone: it is the upstream's failure, never taken
     * for the client going away.
     */
    public static UpstreamResponse<InputStream> postForStream(UpstreamHttp http, ProviderRequest request, URI uri, Map<String, String> headers,
                                                              byte[] body, ErrorMapper errors) {
        UpstreamResponse<InputStream> response = http.postJsonStreaming(request.backend().name(), uri, headers, body,
                request.connectTimeout());
        if (response.statusCode() / 100 != 2) {
            byte[] error;
            try (InputStream in = response.body()) {
                error = in.readNBytes(MAX_ERROR_BODY);
            } catch (IOException e) {
                error = new byte[0];
            }
            throw errors.map(response.statusCode(), response, error);
        }
        return response;
    }

    /** Reads a streamed answer's body: a provider's relay of its events to the client. */
    @FunctionalInterface
    public interface StreamReader {
        StreamResult read(InputStream body) throws IOException;
    }

    /**
     * Reads a streamed answer with {@code reader} and closes it. When the reader stops early (the watchdog's timeout,
     * the client gone, an invalid or error event) the upstream exchange is aborted: its connection closes at once, so
     * the upstream stops generating and nothing is left holding it.
     */
    public static StreamResult read(UpstreamResponse<InputStream> response, StreamReader reader) throws IOException {
        InputStream body = response.body();
        StreamResult result;
        try {
            result = reader.read(body);
        } catch (IOException | RuntimeException | Error e) {
            UpstreamHttp.abort(body, e);
            throw e;
        }
        body.close();
        return result;
    }
}
