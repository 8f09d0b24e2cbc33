package dev.tollgate.gateway.testing;

/**
 * The resource lock of the serial end-to-end classes (gateway/src/test/serial-tests.txt) that must not share the
 * machine with one another: each loads it (real outages under load, fleets of gateways) or times fractions of a second.
 * They run one at a time, beside a class that only waits for deadlines of seconds.
 */
public final class SerialLanes {

    /** Lock name for {@code @ResourceLock(SerialLanes.MACHINE)}. */
    public static final String MACHINE = "machine";

    private SerialLanes() {
    }
}
