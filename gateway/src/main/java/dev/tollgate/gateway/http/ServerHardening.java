package dev.tollgate.gateway.http;

import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.gateway.error.GatewayException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.Enumeration;
import java.util.function.Consumer;

/**
 * Jetty set up to defend itself: header size limit, idle and slow-client timeouts, OpenAI-shaped error bodies for
 * Jetty's own rejections, graceful stop (in-flight requests and streams finish within the shutdown grace, new
 * ones are refused), and an optional second connector for {@code /admin} and {@code /metrics}. Per request it
 * checks the header count and the port a path belongs on. Also Jetty's threads
 * and buffer sizes ({@link #threads()}, {@link #OUTPUT_BUFFER_BYTES}).
 */
final class ServerHardening {

    static final int OUTPUT_BUFFER_BYTES = 4 * 1024;

    private ServerHardening() {
    }

    static void apply(JavalinConfig config, String host, int port, SecuritySettings s, Consumer<ServerConnector> management) {
        config.jetty.threadPool = threads();
        config.jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(s.maxHeaderBytes());
            http.setIdleTimeout(s.idleTimeout().toMillis());
            http.setMinRequestDataRate(s.minRequestBytesPerSecond());
            http.setSendServerVersion(false);
            // Jetty's per-connection header cache matches case-insensitively by default: after a request with a
            // valid key, "Authorization: Bearer <KEY IN UPPER CASE>" came back as the cached, valid value.
            http.setHeaderCacheCaseSensitive(true);
            http.setSendXPoweredBy(false);
            // Each response holds one output buffer (direct memory) while it is open; Jetty's 32 KiB default cost
            // 160 MiB at 5,000 open streams, whose chunks are a few hundred bytes each. Writes over a quarter of it
            // (a whole answer is one write) go straight through. 8 -> 4 KiB, with the upstream client's response
            // buffer 16 -> 4 KiB: direct memory at 5,000 concurrent streams 321 -> 74 MiB. bench/RESULTS.md (streaming).
            http.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
        });
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            // Javalin attaches its handlers inside this wrapper; Server.stop() then waits for in-flight requests.
            server.setHandler(new GracefulHandler());
            server.setStopTimeout(s.shutdownGrace().toMillis());
        });
        config.jetty.addConnector((server, http) -> connector(server, http, host, port, s));
        if (s.managementPort() != null) {
            config.jetty.addConnector((server, http) -> {
                ServerConnector c = connector(server, http, host, s.managementPort(), s);
                c.setName("management");
                management.accept(c);
                return c;
            });
        }
    }

    /**
     * Jetty's acceptor and selector on platform threads, each request on a new virtual thread. Javalin's all-virtual
     * pool runs the selector on a virtual thread too, which parks in the JDK's poller between reads: a selector wake-up
     * then costs an extra thread hand-off (MasterPoller, then a carrier). On platform threads the selector blocks in
     * epoll itself: h2load at 1 connection, 3 alternating runs, median p99 1,387 against 2,121 µs (bench/RESULTS.md).
     */
    private static QueuedThreadPool threads() {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("tollgate-http");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("tollgate-request"));
        return pool;
    }

    private static ServerConnector connector(org.eclipse.jetty.server.Server server, org.eclipse.jetty.server.HttpConfiguration http,
                                             String host, int port, SecuritySettings s) {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost(host);
        c.setPort(port);
        c.setIdleTimeout(s.idleTimeout().toMillis());
        // Listen backlog: Jetty's default (0) leaves the JVM's 50, and a burst of new connections then waits for SYN
        // retransmits (1 s, 3 s, ...). The kernel caps this at net.core.somaxconn.
        c.setAcceptQueueSize(4096);
        return c;
    }

    /** Runs before every route. */
    static void checkRequest(Context ctx, SecuritySettings s, ServerConnector management) {
        int headers = 0;
        for (Enumeration<String> names = ctx.req().getHeaderNames(); names.hasMoreElements(); names.nextElement()) {
            headers++;
        }
        if (headers > s.maxHeaders()) {
            throw new GatewayException(431, "invalid_request_error", "headers_too_large", null,
                    "The request has " + headers + " headers; at most " + s.maxHeaders() + " are accepted.");
        }
        String path = ctx.path();
        boolean managementPath = path.startsWith("/admin") || path.equals("/metrics");
        if (management != null) {
            boolean onManagementPort = ctx.req().getLocalPort() == management.getLocalPort();
            boolean health = path.startsWith("/health/");
            if (!health && managementPath != onManagementPort) {
                throw GatewayException.notFound("Unknown path: " + ctx.method() + " " + path + ".");
            }
        }
    }
}
