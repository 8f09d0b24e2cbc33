package dev.tollgate.gateway.ledger;

/** Where the request path hands finished ledger rows; implementations write them off the request path. */
@FunctionalInterface
public interface LedgerSink {

    void record(LedgerEntry entry);
}
