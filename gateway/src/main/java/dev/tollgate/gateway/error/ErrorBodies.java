package dev.tollgate.gateway.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.gateway.json.Json;

/** Renders errors in OpenAI's shape; the only place that does. */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    public static ObjectNode toJson(GatewayException e) {
        ObjectMapper mapper = Json.MAPPER;
        ObjectNode error = mapper.createObjectNode();
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        ObjectNode root = mapper.createObjectNode();
        root.set("error", error);
        return root;
    }

    public static byte[] toBytes(GatewayException e) {
        return Json.bytes(toJson(e));
    }
}
