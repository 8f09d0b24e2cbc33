package dev.tollgate.gateway.ledger;

/** The SQL databases the ledger runs on; chosen from the JDBC URL. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * Picks the dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException for any other database
     */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        // The URL may carry a password: name only its scheme.
        int schemeEnd = jdbcUrl.indexOf(':', "jdbc:".length());
        String scheme = schemeEnd > 0 ? jdbcUrl.substring(0, schemeEnd) : "unknown";
        throw new IllegalArgumentException("ledger database must be jdbc:sqlite: or jdbc:postgresql:, not " + scheme);
    }
}
