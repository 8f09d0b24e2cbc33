package dev.tollgate.operator.spend;

import java.time.Instant;
import java.util.Objects;

/**
 * What the spend event source last learned of one VirtualKey or TeamBudget: its spend, or why the ledger could not be
 * read. Equal values raise no event, so a poll that learns nothing new costs no reconcile and no status write.
 */
public sealed interface LedgerSpend {

    /**
     * Spend of the period starting at {@code periodStart}, as read at {@code asOf}.
     *
     * @param costPico   picodollars spent in the period
     * @param lastUsedAt start of the subject's latest request in the period, or null
     */
    record Read(long costPico, Instant lastUsedAt, Instant periodStart, Instant asOf) implements LedgerSpend {

        boolean sameFigures(Read other) {
            return costPico == other.costPico && Objects.equals(lastUsedAt, other.lastUsedAt) && periodStart.equals(other.periodStart);
        }
    }

    /**
     * The ledger has not been readable since {@code since}; {@code reason} is a CamelCase condition reason, {@code message}
     * says what failed (never a credential).
     */
    record Unreachable(String reason, String message, Instant since) implements LedgerSpend {
    }
}
