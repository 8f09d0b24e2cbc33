package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.error.ClientFaults;
import dev.tollgate.gateway.error.GatewayException;
import io.javalin.http.Context;
import org.eclipse.jetty.http.HttpException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a JSON request body with a size limit, whether or not the client sent a Content-Length. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** application/json, with no charset or UTF-8 (JSON is UTF-8 by definition, RFC 8259). */
    private static boolean isJson(String contentType) {
        if (!contentType.startsWith("application/json")) {
            return false;
        }
        int charset = contentType.indexOf("charset=");
        if (charset < 0) {
            return true;
        }
        String name = contentType.substring(charset + 8).replace("\"", "").trim();
        return name.startsWith("utf-8") || name.startsWith("utf8");
    }

    public static byte[] read(Context ctx, long maxBytes) {
        // The raw header: the servlet API's getContentType() throws on an unknown charset.
        String contentType = ctx.header("Content-Type");
        if (contentType != null && !isJson(contentType.toLowerCase(Locale.ROOT))) {
            throw GatewayException.unsupportedMediaType(contentType.length() > 100 ? contentType.substring(0, 100) + "..." : contentType);
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw GatewayException.bodyTooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                // Content-Length known: one exact read, and a check that the client sent no more than it declared
                byte[] body = in.readNBytes((int) declared);
                if (body.length < declared) {
                    throw GatewayException.invalidRequest(null, "The request body is shorter than its Content-Length.");
                }
                return body;
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw GatewayException.bodyTooLarge(maxBytes);
            }
            return body;
        } catch (IOException | HttpException.RuntimeException e) {
            GatewayException fault = ClientFaults.of(e);
            throw fault != null ? fault : GatewayException.invalidRequest(null, "The request body could not be read.");
        }
    }
}
