import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow-header flood for bench/slowloris.sh: keeps {@code connections} connections open to the gateway, spread over
 * source addresses 127.0.0.2 to 127.0.0.{1+sources}, each dripping a request head that never ends at one byte per
 * second (request line, then a header value that grows forever). A connection the server closes is opened again at
 * once, as an attacker would. Opens at most {@code openPerSecond} new connections a second. One thread, non-blocking.
 *   java bench/Slowloris.java &lt;port&gt; &lt;connections&gt; &lt;seconds&gt; &lt;sources&gt; &lt;openPerSecond&gt;
 * Prints every 5 s and at the end: open, opened, closed_by_server, connect_failed, answered (responses received:
 * the gateway refused the connection with 503/429) and the most connections open at once.
 */
public class Slowloris {

    private static final byte[] HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    static final class Conn {
        int sent;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        int sources = Integer.parseInt(args[3]);
        int openPerSecond = Integer.parseInt(args[4]);
        List<InetAddress> from = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            from.add(InetAddress.getByName("127.0.0." + (2 + i)));
        }
        Selector selector = Selector.open();
        long opened = 0, closedByServer = 0, connectFailed = 0, answered = 0;
        int maxOpen = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long nextReport = System.nanoTime() + 5_000_000_000L;
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (System.nanoTime() < end) {
            long tick = System.nanoTime();
            // open up to the target, at most openPerSecond per tick
            for (int i = 0; i < openPerSecond && selector.keys().size() < target; i++) {
                try {
                    SocketChannel ch = SocketChannel.open();
                    ch.bind(new InetSocketAddress(from.get((int) (opened % from.size())), 0));
                    ch.configureBlocking(false);
                    ch.connect(new InetSocketAddress("127.0.0.1", port));
                    ch.register(selector, SelectionKey.OP_CONNECT, new Conn());
                    opened++;
                } catch (IOException e) {
                    connectFailed++;
                }
            }
            selector.selectNow();
            for (SelectionKey k : new ArrayList<>(selector.keys())) {
                SocketChannel ch = (SocketChannel) k.channel();
                Conn c = (Conn) k.attachment();
                try {
                    if (ch.isConnectionPending()) {
                        if (!ch.finishConnect()) {
                            continue;
                        }
                        k.interestOps(0);
                    }
                    byte next = c.sent < HEAD.length ? HEAD[c.sent] : (byte) 'a';
                    ch.write(ByteBuffer.wrap(new byte[] {next}));
                    c.sent++;
                    in.clear();
                    int n = ch.read(in);
                    if (n > 0) {
                        answered++;
                    }
                    if (n != 0) {
                        closedByServer++;
                        k.cancel();
                        ch.close();
                    }
                } catch (IOException e) {
                    if (c.sent == 0 && ch.isConnectionPending()) {
                        connectFailed++;
                    } else {
                        closedByServer++;
                    }
                    k.cancel();
                    ch.close();
                }
            }
            selector.selectNow(); // flush cancelled keys
            maxOpen = Math.max(maxOpen, selector.keys().size());
            if (System.nanoTime() > nextReport) {
                System.out.printf("open=%d opened=%d closed_by_server=%d connect_failed=%d answered=%d%n",
                        selector.keys().size(), opened, closedByServer, connectFailed, answered);
                nextReport += 5_000_000_000L;
            }
            long sleep = 1_000 - (System.nanoTime() - tick) / 1_000_000;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        System.out.printf("RESULT open=%d opened=%d closed_by_server=%d connect_failed=%d answered=%d max_open=%d%n",
                selector.keys().size(), opened, closedByServer, connectFailed, answered, maxOpen);
    }
}
