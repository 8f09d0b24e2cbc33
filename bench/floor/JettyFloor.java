import io.javalin.Javalin;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.nio.ByteBuffer;

/**
 * The floor under the gateway: a bare proxy on the gateway's own HTTP stack (Jetty 12 server and client, the same
 * settings), with none of the gateway's work. It forwards each POST to the upstream and returns the answer.
 * Not a product; bench/floor.sh measures it beside the gateway to separate the host's speed from the gateway's cost.
 *
 * <pre>java -cp tollgate-gateway-all.jar JettyFloor.java MODE PORT UPSTREAM_URL</pre>
 * MODE: {@code event} (handled on the selector, the upstream's answer written from the client's callback: no
 * thread hand-off), {@code virtual} (each request on a new virtual thread that waits for the upstream, as the
 * gateway does), {@code javalin} (the same through Javalin's servlet, as the gateway is served).
 */
public final class JettyFloor {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create(args[2]);
        HttpClient client = client();
        if (mode.equals("javalin")) {
            Javalin.create(config -> {
                config.concurrency.useVirtualThreads = true;
                config.jetty.threadPool = pool();
                config.startup.showJavalinBanner = false;
                config.routes.post("/v1/chat/completions", ctx -> {
                    byte[] out = new CompletableResponseListener(client.newRequest(upstream).method(HttpMethod.POST)
                            .body(new BytesRequestContent("application/json", ctx.bodyAsBytes())), 1 << 20).send().get().getContent();
                    ctx.status(200).contentType("application/json");
                    ctx.res().setContentLength(out.length);
                    ctx.res().getOutputStream().write(out);
                });
            }).start("127.0.0.1", port);
            return;
        }
        Server server = new Server(pool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(mode.equals("event") ? eventLoop(client, upstream) : virtualThread(client, upstream));
        server.start();
    }

    private static Handler eventLoop(HttpClient client, URI upstream) {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asByteArrayAsync(request, 1 << 20).whenComplete((body, failure) -> {
                    if (failure != null) {
                        Response.writeError(request, response, callback, failure);
                        return;
                    }
                    client.newRequest(upstream).method(HttpMethod.POST).body(new BytesRequestContent("application/json", body))
                            .send(new BufferingResponseListener(1 << 20) {
                                @Override
                                public void onComplete(Result result) {
                                    if (result.isFailed()) {
                                        Response.writeError(request, response, callback, result.getFailure());
                                    } else {
                                        write(response, getContent(), callback);
                                    }
                                }
                            });
                });
                return true;
            }
        };
    }

    private static Handler virtualThread(HttpClient client, URI upstream) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Content.Source.asByteBuffer(request).array();
                byte[] out = new CompletableResponseListener(client.newRequest(upstream).method(HttpMethod.POST)
                        .body(new BytesRequestContent("application/json", body)), 1 << 20).send().get().getContent();
                write(response, out, callback);
                return true;
            }
        };
    }

    private static void write(Response response, byte[] body, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The gateway's pool: acceptor and selector on platform threads, requests on virtual threads. */
    private static QueuedThreadPool pool() {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("floor-request"));
        return pool;
    }

    /** The gateway's upstream client settings (UpstreamHttp): answers parsed on the selector thread. */
    private static HttpClient client() throws Exception {
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setDaemon(true);
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(16_384);
        client.setResponseBufferSize(4096);
        client.start();
        return client;
    }
}
