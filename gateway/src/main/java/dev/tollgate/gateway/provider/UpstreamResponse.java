package dev.tollgate.gateway.provider;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An upstream's answer: status, headers and body (bytes, or a stream the caller closes). Headers are converted
 * only when a provider asks for them (error paths, a few provider ids), never on the success path.
 */
public final class UpstreamResponse<T> {

    private final int statusCode;
    private final HttpFields fields;
    private final T body;

    UpstreamResponse(int statusCode, HttpFields fields, T body) {
        this.statusCode = statusCode;
        this.fields = fields;
        this.body = body;
    }

    public int statusCode() {
        return statusCode;
    }

    public T body() {
        return body;
    }

    /** The first value of header {@code name} (case-insensitive), or null; converts nothing. */
    public String header(String name) {
        return fields.get(name);
    }

    /** The response headers (case-insensitive names). */
    public HttpHeaders headers() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (HttpField f : fields) {
            map.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
