package dev.tollgate.gateway.testing;

/**
 * The resource lock of the serial end-to-end classes (gateway/src/test/serial-tests.txt) that must not share the
 * machine with one another: each loads it (real outages under load, fleets of gateways) or times fractions of a second.
 * They run one at a time, beside a class that only waits for deadlines of seconds ({@code SlowClientFloodTest}), except
 * the database outage, which holds {@link #SLOW_CLIENTS} too.
 */
public final class SerialLanes {

    /** Lock name for {@code @ResourceLock(SerialLanes.MACHINE)}. */
    public static final String MACHINE = "machine";

    /**
     * Held by {@code SlowClientFloodTest} and by {@code DatabaseOutageTest}, which must not run beside it: with the
     * machine's CPU halved by other work, the flood's 400 connections beside the outage's load filled the ledger queue
     * of its (deliberately small) test configuration while the writer was starved, and a readiness probe saw it full
     * (two runs of two); the outage alone passes under the same load.
     */
    public static final String SLOW_CLIENTS = "slow-clients";

    private SerialLanes() {
    }
}
