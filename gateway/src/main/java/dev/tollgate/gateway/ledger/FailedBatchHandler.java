package dev.tollgate.gateway.ledger;

import java.util.List;

/**
 * What {@link LedgerWriter} does with rows it could not write: the seam for a spill file.
 *
 * <p>Called on the writer thread after every failed write of a batch, and once with all remaining rows if the
 * writer is stopped before it could write them. Returning true means the handler took the rows (for example
 * appended them to a file it will replay) and the writer forgets them. Returning false keeps a failed batch in
 * memory to retry with backoff; at stop, rows it refuses are lost and logged as an error.
 */
@FunctionalInterface
public interface FailedBatchHandler {

    /** Never takes the rows: failed batches are retried in memory until they are written. */
    FailedBatchHandler RETRY_IN_MEMORY = (rows, failure) -> false;

    /**
     * Offered the rows of a failed write.
     *
     * @param rows    the rows not written, in order; the list must not be kept past the call unless copied
     * @param failure why they were not written
     * @return true if the handler took responsibility for the rows
     */
    boolean handle(List<LedgerEntry> rows, Exception failure);
}
