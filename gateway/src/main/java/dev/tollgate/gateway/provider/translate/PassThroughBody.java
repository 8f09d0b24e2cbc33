package dev.tollgate.gateway.provider.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ProviderRequest;

/** A client's own request body sent to a backend that speaks the client's API: unchanged but for model and stream. */
public final class PassThroughBody {

    private PassThroughBody() {
    }

    /**
     * The client's body with {@code model} set to the backend's and {@code stream: true} for a stream (no
     * {@code stream} otherwise), as bytes; the client's body itself is left as it is.
     */
    public static byte[] of(ObjectNode clientBody, ProviderRequest request) {
        ObjectNode body = clientBody.deepCopy();
        body.put("model", request.backend().model());
        if (request.stream()) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        return Json.bytes(body);
    }
}
