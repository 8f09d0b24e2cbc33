package dev.tollgate.gateway.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hostile clients on real sockets: each connection sends an opening (maybe nothing, maybe a whole request) and then
 * drips one byte per second of a request head that never ends ({@code GET / HTTP/1.1}, then a header whose value grows
 * forever), or stays silent. Every tick (ten a second, so a close is seen within 100 ms) reads what the server sent
 * and notes when it closed the connection.
 */
public final class SlowClients implements AutoCloseable {

    private static final byte[] ENDLESS_HEAD = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    private final List<Client> clients = new ArrayList<>();
    private static final int TICKS_PER_DRIP = 10;

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private long ticks;

    private static final class Client {
        final SocketChannel channel;
        final boolean drip;
        final StringBuilder received = new StringBuilder();
        int sent;
        volatile boolean closedByServer;

        Client(SocketChannel channel, boolean drip) {
            this.channel = channel;
            this.drip = drip;
        }
    }

    private SlowClients() {
        ticker.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    public static SlowClients start() {
        return new SlowClients();
    }

    /** Opens {@code count} connections from {@code from} that drip an endless request head, one byte per second each. */
    public SlowClients dripping(int port, InetAddress from, int count) throws IOException {
        return open(port, from, count, new byte[0], true);
    }

    /** Opens {@code count} connections that send {@code opening} at once, then nothing (idle keep-alive when it is a request). */
    public SlowClients idleAfter(int port, InetAddress from, int count, byte[] opening) throws IOException {
        return open(port, from, count, opening, false);
    }

    /** Opens {@code count} connections that send {@code opening} at once, then drip an endless head. */
    public SlowClients drippingAfter(int port, InetAddress from, int count, byte[] opening) throws IOException {
        return open(port, from, count, opening, true);
    }

    private synchronized SlowClients open(int port, InetAddress from, int count, byte[] opening, boolean drip) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(from, 0));
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.configureBlocking(false);
            ByteBuffer b = ByteBuffer.wrap(opening);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            clients.add(new Client(ch, drip));
        }
        return this;
    }

    private synchronized void tick() {
        ByteBuffer in = ByteBuffer.allocate(4096);
        boolean dripNow = ++ticks % TICKS_PER_DRIP == 0;
        for (Client c : clients) {
            if (c.closedByServer || !c.channel.isOpen()) {
                continue;
            }
            try {
                if (c.drip && dripNow) {
                    byte next = c.sent < ENDLESS_HEAD.length ? ENDLESS_HEAD[c.sent] : (byte) 'a';
                    c.channel.write(ByteBuffer.wrap(new byte[] {next}));
                    c.sent++;
                }
                in.clear();
                int n = c.channel.read(in);
                if (n < 0) {
                    c.closedByServer = true;
                } else if (n > 0) {
                    c.received.append(new String(in.array(), 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                c.closedByServer = true; // reset by the server
            }
        }
    }

    /** How many connections the server has closed so far. */
    public synchronized int closedByServer() {
        return (int) clients.stream().filter(c -> c.closedByServer).count();
    }

    public synchronized int size() {
        return clients.size();
    }

    /** Whether connection {@code i} (in opening order) has been closed by the server. */
    public synchronized boolean closedByServer(int i) {
        return clients.get(i).closedByServer;
    }

    /** What the server sent on connection {@code i} so far. */
    public synchronized String received(int i) {
        return clients.get(i).received.toString();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        for (Client c : clients) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
