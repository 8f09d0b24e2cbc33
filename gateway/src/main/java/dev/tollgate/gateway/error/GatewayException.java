package dev.tollgate.gateway.error;

import java.util.Map;

/**
 * An error the gateway answers with: an HTTP status and OpenAI's error body
 * {@code {"error":{"message","type","param","code"}}}. Created by the stage that knows why; rendered in one place.
 * Carries no stack trace: it is a value, not a bug.
 */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public GatewayException(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    /** Extra response headers of this error (e.g. {@code retry-after}); none by default. */
    public Map<String, String> headers() {
        return Map.of();
    }

    public static GatewayException invalidRequest(String param, String message) {
        return new GatewayException(400, "invalid_request_error", null, param, message);
    }

    public static GatewayException invalidApiKey(String message) {
        return new GatewayException(401, "invalid_request_error", "invalid_api_key", null, message);
    }

    public static GatewayException permissionDenied(String message) {
        return new GatewayException(403, "permission_denied", "model_not_allowed", null, message);
    }

    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist or you do not have access to it.");
    }

    public static GatewayException notFound(String message) {
        return new GatewayException(404, "invalid_request_error", "not_found", null, message);
    }

    public static GatewayException methodNotAllowed(String message) {
        return new GatewayException(405, "invalid_request_error", "method_not_allowed", null, message);
    }

    public static GatewayException bodyTooLarge(long limit) {
        return new GatewayException(413, "invalid_request_error", "request_too_large", null,
                "Request body is larger than the limit of " + limit + " bytes.");
    }

    public static GatewayException unsupportedMediaType(String contentType) {
        return new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                "Content-Type must be application/json (was '" + contentType + "').");
    }

    public static GatewayException internal(String message) {
        return new GatewayException(500, "server_error", null, null, message);
    }
}
