package dev.tollgate.gateway.provider;

import java.net.URI;
import java.util.Map;

/**
 * What a {@link Translator} asks {@link UpstreamShell} to POST.
 *
 * @param uri     the full upstream URL
 * @param headers request headers (lower-case names), credentials included
 * @param body    the JSON body
 */
public record UpstreamRequest(URI uri, Map<String, String> headers, byte[] body) {

    /** {@code path} (starting with '/') under {@code baseUrl}, with or without a trailing slash there. */
    public static URI under(URI baseUrl, String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
