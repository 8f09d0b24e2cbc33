package dev.tollgate.gateway.provider;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An upstream answer's headers as a translator reads them: one value by name (case-insensitive), looked up only when
 * asked for, so the success path converts nothing.
 */
@FunctionalInterface
public interface ResponseHeaders {

    /** The first value of header {@code name}, or null. */
    String first(String name);

    /** Headers from a map (tests, fixtures). */
    static ResponseHeaders of(Map<String, String> headers) {
        Map<String, String> lower = headers.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        return name -> lower.get(name.toLowerCase(Locale.ROOT));
    }
}
