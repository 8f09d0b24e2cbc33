package dev.tollgate.api.config;

import java.util.List;

/** A configuration that failed validation; {@link #errors()} lists every problem, each naming its field path. */
public final class ConfigException extends RuntimeException {

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(errors.size() + " configuration error(s):\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
