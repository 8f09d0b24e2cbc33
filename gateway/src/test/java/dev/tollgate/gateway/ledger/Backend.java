package dev.tollgate.gateway.ledger;

/** The databases the ledger tests run against. */
enum Backend {
    SQLITE,
    POSTGRESQL
}
