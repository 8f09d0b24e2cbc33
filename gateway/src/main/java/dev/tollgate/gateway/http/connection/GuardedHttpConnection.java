package dev.tollgate.gateway.http.connection;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.internal.HttpConnection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Jetty's HTTP/1.1 connection that knows since when it has been waiting for the rest of a request head, and whether
 * it was admitted. Jetty has no deadline for the head: its idle timeout restarts with every byte, so one byte every
 * 20 s kept a connection forever. The clock of the first request starts at accept (a connection that sends nothing is
 * cut too), that of each later request at its first byte, so an idle keep-alive connection only meets the idle
 * timeout. {@link ConnectionSweeper} closes connections past the deadline.
 *
 * <p>Jetty's {@code HttpConnection} is in an internal package; this subclass only overrides its documented factory
 * methods ({@code newRequestHandler}, {@code newHttpParser}) and {@code onOpen}/{@code onClose}, and copies the three
 * lines of the parser set-up. A Jetty upgrade that changes them fails {@code SlowClientFloodTest}.
 */
public final class GuardedHttpConnection extends HttpConnection {

    private static final long NO_HEAD_PENDING = Long.MIN_VALUE;

    private final OpenConnections registry;
    private final InetAddress address;
    /** Set by {@link #newRequestHandler()} while the super constructor runs; no initializer, or it would be reset. */
    private HttpConnection.RequestHandler requestHandler;
    private volatile long headSince = System.nanoTime();
    private volatile Admission admission;

    GuardedHttpConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint, OpenConnections registry) {
        super(configuration, connector, endPoint);
        this.registry = registry;
        this.address = endPoint.getRemoteSocketAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    protected HttpConnection.RequestHandler newRequestHandler() {
        requestHandler = super.newRequestHandler();
        return requestHandler;
    }

    @Override
    protected HttpParser newHttpParser(HttpCompliance compliance) {
        HttpParser parser = new HeadTimingParser(requestHandler, getHttpConfiguration().getRequestHeaderSize(), compliance);
        parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
        parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
        return parser;
    }

    @Override
    public void onOpen() {
        Admission a = registry.admit(this, address);
        admission = a;
        if (a == Admission.DROPPED) {
            getEndPoint().close();
            return;
        }
        super.onOpen();
    }

    @Override
    public void onClose(Throwable cause) {
        Admission a = admission;
        if (a != null) {
            registry.closed(this, address, a);
        }
        super.onClose(cause);
    }

    /** How this connection was admitted; null before it opened. */
    public Admission admission() {
        return admission;
    }

    /** True while a request head is incomplete and started before {@code nanoTime - timeoutNanos}. */
    boolean headOverdue(long nanoTime, long timeoutNanos) {
        long since = headSince;
        return since != NO_HEAD_PENDING && nanoTime - since > timeoutNanos;
    }

    /**
     * A keep-alive connection waiting for its next request: neither reading a request head nor handling a request, and
     * no byte in or out for {@code minMillis}.
     */
    boolean idleFor(long minMillis) {
        return headSince == NO_HEAD_PENDING && getHttpChannel().getRequest() == null
                && (!(getEndPoint() instanceof IdleTimeout t) || t.getIdleFor() >= minMillis);
    }

    /** Starts the head clock at the first byte of a request head and stops it when the head is complete. */
    private final class HeadTimingParser extends HttpParser {

        HeadTimingParser(HttpParser.RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
            super(handler, maxHeaderBytes, compliance);
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            if (headSince == NO_HEAD_PENDING && buffer.hasRemaining() && isStart()) {
                headSince = System.nanoTime();
            }
            boolean handle = super.parseNext(buffer);
            if (headSince != NO_HEAD_PENDING && !inHeaderState()) {
                headSince = NO_HEAD_PENDING;
            }
            return handle;
        }
    }
}
