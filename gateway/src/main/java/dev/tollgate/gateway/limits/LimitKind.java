package dev.tollgate.gateway.limits;

/** Which limit of a subject refused a request. */
enum LimitKind {
    RPM("requests per minute"),
    TPM("tokens per minute"),
    PARALLEL("concurrent requests");

    private final String description;

    LimitKind(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
