package dev.tollgate.gateway.provider.translate;

import dev.tollgate.gateway.provider.ProviderRequest;

import java.util.HashMap;
import java.util.Map;

/** Request headers of a provider that takes the backend's key as a Bearer token. */
public final class BearerHeaders {

    private BearerHeaders() {
    }

    /**
     * {@code authorization} (when a key is set), {@code accept} ({@code streamType} for streams, JSON otherwise) and the
     * gateway's {@code x-request-id}.
     */
    public static Map<String, String> of(ProviderRequest request, String streamType) {
        Map<String, String> headers = new HashMap<>(4);
        String key = request.backend().apiKey();
        if (key != null && !key.isEmpty()) {
            headers.put("authorization", "Bearer " + key);
        }
        headers.put("accept", request.stream() ? streamType : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }
}
