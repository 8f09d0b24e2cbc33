package dev.tollgate.gateway.http;

import dev.tollgate.gateway.error.ErrorBodies;
import dev.tollgate.gateway.error.GatewayException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's own error responses (431 headers too large, 414 URI too long, 400 bad request line, 503 while shutting
 * down, ...) in OpenAI's error body instead of Jetty's HTML page. Never includes Jetty's reason text or a stack.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object attr = request.getAttribute(ERROR_STATUS);
        if (attr instanceof Integer s) {
            status = s;
        }
        if (status < 400) {
            status = 500;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
        return true;
    }

    static byte[] body(int status) {
        String message = switch (status) {
            case 400 -> "The HTTP request is malformed.";
            case 408 -> "The request was not received in time.";
            case 413 -> "The request is too large.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large or too many.";
            case 503 -> "The gateway is shutting down; retry on another instance.";
            default -> HttpStatus.getMessage(status) + ".";
        };
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        return ErrorBodies.toBytes(new GatewayException(status, type, code(status), null, message));
    }

    private static String code(int status) {
        return switch (status) {
            case 408 -> "request_timeout";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 503 -> "shutting_down";
            default -> null;
        };
    }
}
