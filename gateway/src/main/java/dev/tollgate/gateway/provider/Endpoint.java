package dev.tollgate.gateway.provider;

/**
 * The OpenAI endpoints a client can call. {@link #RESPONSES} is a client API only: its requests reach providers as
 * {@link #CHAT} (or natively, see {@code inbound.responses}); it names the endpoint in the ledger.
 */
public enum Endpoint {
    CHAT("chat/completions", "chat"),
    COMPLETIONS("completions", "completions"),
    EMBEDDINGS("embeddings", "embeddings"),
    RESPONSES("responses", "responses");

    private final String path;
    private final String label;

    Endpoint(String path, String label) {
        this.path = path;
        this.label = label;
    }

    /** Path below an OpenAI base URL, e.g. {@code chat/completions}. */
    public String path() {
        return path;
    }

    /** Short name used in the ledger and logs. */
    public String label() {
        return label;
    }
}
