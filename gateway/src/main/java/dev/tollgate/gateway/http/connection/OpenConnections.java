package dev.tollgate.gateway.http.connection;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of one connector and their admission: counts connections served (in total and per client
 * address) against {@link ConnectionLimits}, and the refused ones still being answered against the refusal reserve.
 * Called once when a connection opens and once when it closes, never per request.
 */
public final class OpenConnections {

    private final ConnectionLimits limits;
    private final Set<GuardedHttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusing = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public OpenConnections(ConnectionLimits limits) {
        this.limits = limits;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Decides the fate of a new connection from {@code address} (null when unknown) and counts it. */
    Admission admit(GuardedHttpConnection connection, InetAddress address) {
        Admission admission = decide(address);
        if (admission != Admission.DROPPED) {
            connections.add(connection);
        }
        return admission;
    }

    private Admission decide(InetAddress address) {
        boolean countedByAddress = limits.maxPerAddress() > 0 && address != null;
        if (countedByAddress && !takeAddressSlot(address)) {
            return refuse(Admission.OVER_ADDRESS_LIMIT);
        }
        if (!takeSlot(admitted, limits.maxConnections())) {
            if (countedByAddress) {
                releaseAddressSlot(address);
            }
            return refuse(Admission.OVER_CAPACITY);
        }
        return Admission.ADMITTED;
    }

    private Admission refuse(Admission reason) {
        return takeSlot(refusing, limits.refusalReserve()) ? reason : Admission.DROPPED;
    }

    private static boolean takeSlot(AtomicInteger count, int max) {
        for (int n = count.get(); n < max; n = count.get()) {
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean takeAddressSlot(InetAddress address) {
        boolean[] taken = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            int open = n == null ? 0 : n;
            taken[0] = open < limits.maxPerAddress();
            return taken[0] ? open + 1 : n;
        });
        return taken[0];
    }

    private void releaseAddressSlot(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Forgets a closed connection admitted with {@code admission}. */
    void closed(GuardedHttpConnection connection, InetAddress address, Admission admission) {
        if (admission == Admission.DROPPED) {
            return;
        }
        connections.remove(connection);
        if (admission != Admission.ADMITTED) {
            refusing.decrementAndGet();
            return;
        }
        admitted.decrementAndGet();
        if (limits.maxPerAddress() > 0 && address != null) {
            releaseAddressSlot(address);
        }
    }

    /** Connections served now. */
    public int admitted() {
        return admitted.get();
    }

    /** Every connection open now (served or being refused), for the sweeper. */
    Collection<GuardedHttpConnection> all() {
        return connections;
    }
}
