package dev.tollgate.gateway.ledger;

/** The ledger database could not be used; the cause says why. */
public final class LedgerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
