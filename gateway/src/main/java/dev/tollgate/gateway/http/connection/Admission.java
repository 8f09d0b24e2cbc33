package dev.tollgate.gateway.http.connection;

/** What becomes of a new connection. */
public enum Admission {
    /** Served. */
    ADMITTED,
    /** Over the connection limit: its request gets 503 and the connection is closed. */
    OVER_CAPACITY,
    /** Over its address's limit: its request gets 429 and the connection is closed. */
    OVER_ADDRESS_LIMIT,
    /** Refused with the refusal reserve full: closed at once, without a response. */
    DROPPED
}
