package dev.tollgate.gateway.http;

import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.gateway.error.ErrorBodies;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.http.connection.ConnectionLimits;
import dev.tollgate.gateway.http.connection.ConnectionRefusals;
import dev.tollgate.gateway.http.connection.ConnectionSweeper;
import dev.tollgate.gateway.http.connection.GuardedHttpConnectionFactory;
import dev.tollgate.gateway.http.connection.IdleConnectionsDrain;
import dev.tollgate.gateway.http.connection.OpenConnections;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Jetty set up to defend itself: header size limit, idle and slow-client timeouts, a deadline for the request head,
 * connection limits (in total and per client address) with idle connections shed first and refusals answered in
 * OpenAI's error body (package {@code connection}), OpenAI-shaped error bodies for Jetty's own rejections, graceful
 * stop (in-flight requests and streams finish within the shutdown grace, new ones are refused), and an optional second
 * connector for {@code /admin} and {@code /metrics}. Per request it checks the header count and the port a path
 * belongs on. Also Jetty's threads and buffer sizes ({@link #threads()},
 * {@link #OUTPUT_BUFFER_BYTES}).
 */
final class ServerHardening {

    static final int OUTPUT_BUFFER_BYTES = 4 * 1024;

    private ServerHardening() {
    }

    static void apply(JavalinConfig config, String host, int port, SecuritySettings s, MeterRegistry registry,
                      Consumer<ServerConnector> management) {
        OpenConnections api = new OpenConnections(ConnectionLimits.api(s));
        OpenConnections admin = s.managementPort() == null ? null : new OpenConnections(ConnectionLimits.management(s));
        List<OpenConnections> all = new ArrayList<>(List.of(api));
        if (admin != null) {
            all.add(admin);
        }
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
            // Javalin attaches its handlers inside the innermost wrapper; Server.stop() then waits for in-flight requests.
            GatewayException overCapacity = new GatewayException(503, "server_error", "overloaded", null,
                    "The gateway is at its connection limit; retry shortly.");
            GatewayException overAddressLimit = new GatewayException(429, "rate_limit_exceeded", "too_many_connections", null,
                    "Too many open connections from this address; close some or retry shortly.");
            server.setHandler(new ConnectionRefusals(new GracefulHandler(), ErrorBodies.toBytes(overCapacity),
                    ErrorBodies.toBytes(overAddressLimit), api, registry));
            server.setStopTimeout(s.shutdownGrace().toMillis());
            server.addBean(new ConnectionSweeper(all, registry));
            server.addBean(new IdleConnectionsDrain(all, registry));
        });
        config.jetty.addConnector((server, http) -> connector(server, http, host, port, s, api));
        if (admin != null) {
            config.jetty.addConnector((server, http) -> {
                ServerConnector c = connector(server, http, host, s.managementPort(), s, admin);
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

    private static ServerConnector connector(Server server, HttpConfiguration http,
                                             String host, int port, SecuritySettings s, OpenConnections open) {
        ServerConnector c = new ServerConnector(server, new GuardedHttpConnectionFactory(http, open));
        c.setHost(host);
        c.setPort(port);
        c.setIdleTimeout(s.idleTimeout().toMillis());
        // Listen backlog: Jetty's default (0) leaves the JVM's 50, and a burst of new connections then waits for SYN
        // retransmits (1 s, 3 s, ...). The kernel caps this at net.core.somaxconn.
        c.setAcceptQueueSize(4096);
        return c;
    }

    /** Runs before every route; {@code path} is the request's path as {@link RequestPaths#canonical} gives it. */
    static void checkRequest(Context ctx, String path, SecuritySettings s, ServerConnector management) {
        int headers = 0;
        for (Enumeration<String> names = ctx.req().getHeaderNames(); names.hasMoreElements(); names.nextElement()) {
            headers++;
        }
        if (headers > s.maxHeaders()) {
            throw new GatewayException(431, "invalid_request_error", "headers_too_large", null,
                    "The request has " + headers + " headers; at most " + s.maxHeaders() + " are accepted.");
        }
        boolean managementPath = RequestPaths.isManagement(path);
        if (management != null) {
            boolean onManagementPort = ctx.req().getLocalPort() == management.getLocalPort();
            if (!RequestPaths.isHealth(path) && managementPath != onManagementPort) {
                throw GatewayException.notFound("Unknown path: " + ctx.method() + " " + ctx.path() + ".");
            }
        }
    }
}
