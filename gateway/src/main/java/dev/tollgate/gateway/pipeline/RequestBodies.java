package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.error.GatewayException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/** Reads a JSON request body with a size limit, whether or not the client sent a Content-Length. */
public final class RequestBodies {

    private RequestBodies() {
    }

    public static byte[] read(Context ctx, long maxBytes) {
        String contentType = ctx.contentType();
        if (contentType != null && !contentType.toLowerCase().startsWith("application/json")) {
            throw GatewayException.unsupportedMediaType(contentType);
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw GatewayException.bodyTooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw GatewayException.bodyTooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw GatewayException.invalidRequest(null, "The request body could not be read.");
        }
    }
}
