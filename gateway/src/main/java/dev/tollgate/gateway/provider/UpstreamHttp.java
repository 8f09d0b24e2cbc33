package dev.tollgate.gateway.provider;

import dev.tollgate.gateway.tracing.UpstreamTracing;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pooled, keep-alive HTTP/1.1 client every provider uses: Jetty's {@link HttpClient}, the same Jetty as the
 * server. (The JDK's client was the gateway's largest cost: per-request reflection in its filter chain, a timer per
 * request and selector wake-ups showed at the top of the profile; see bench/RESULTS.md.) One client per distinct
 * connect timeout. Maps transport failures to {@link UpstreamException}. An interrupt (the routing watchdog's
 * timeout) aborts the exchange and frees its connection; so does {@link #abort} for a stream given up midway.
 */
public final class UpstreamHttp implements AutoCloseable {

    /** Largest whole (non-streamed) answer read into memory. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    /** Read buffer of an upstream connection (Jetty's default is 16 KiB). */
    private static final int RESPONSE_BUFFER_BYTES = 4 * 1024;

    private final Duration defaultConnectTimeout;
    private final ConcurrentMap<Duration, HttpClient> clientsByConnectTimeout = new ConcurrentHashMap<>();

    public UpstreamHttp(Duration connectTimeout) {
        this.defaultConnectTimeout = connectTimeout;
    }

    /** POSTs JSON and returns the whole answer, connecting within {@code connectTimeout}. */
    public UpstreamResponse<byte[]> postJson(String backend, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
                                             Duration connectTimeout) {
        Request request = request(connectTimeout, uri, headers, body).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ContentResponse response = await(backend, request, new CompletableResponseListener(request, MAX_RESPONSE_BYTES).send());
        UpstreamTracing.responded(response.getStatus());
        return new UpstreamResponse<>(response.getStatus(), response.getHeaders(), response.getContent());
    }

    /**
     * POSTs JSON and returns the answer as a stream to read as it arrives (the caller closes it), connecting within
     * {@code connectTimeout}. The wait for the response headers is not timed here: the router's watchdog interrupts
     * it at the attempt's deadline (and the connection's idle timeout ends it in any case). A timed wait made every
     * stream schedule and cancel a virtual-thread timer, a tenth of the CPU at 4 streams at once (bench/RESULTS.md).
     */
    public UpstreamResponse<InputStream> postJsonStreaming(String backend, URI uri, Map<String, String> headers, byte[] body,
                                                           Duration connectTimeout) {
        Request request = request(connectTimeout, uri, headers, body);
        StreamListener listener = new StreamListener();
        request.send(listener);
        Response response = await(backend, request, listener.headers);
        UpstreamTracing.responded(response.getStatus());
        return new UpstreamResponse<>(response.getStatus(), response.getHeaders(), new StreamBody(listener.getInputStream(), request));
    }

    /** Waits for {@code request}'s answer (or headers): interrupted, it aborts the exchange as a timeout. */
    private static <T> T await(String backend, Request request, Future<T> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            abortExchange(request, e);
            Thread.currentThread().interrupt();
            throw UpstreamException.timeout(backend);
        } catch (ExecutionException e) {
            throw failure(backend, e.getCause());
        }
    }

    /**
     * Ends a streamed exchange early (a watchdog timeout, the client gone, an invalid or error event): aborts it, which
     * closes its connection so the upstream stops generating, and closes {@code body}. Closing Jetty's stream alone
     * leaves the exchange running until the upstream ends it or the connection idles out (120 s).
     */
    public static void abort(InputStream body, Throwable cause) {
        if (body instanceof StreamBody s) {
            abortExchange(s.request, cause);
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // aborted already
        }
    }

    /** Aborts the exchange; the returned future (whether it was still running) is of no interest. */
    private static void abortExchange(Request request, Throwable cause) {
        CompletableFuture<Boolean> _ = request.abort(cause);
    }

    /** A streamed answer's body, which knows its exchange so that {@link #abort} can end it. */
    private static final class StreamBody extends FilterInputStream {
        private final Request request;

        StreamBody(InputStream in, Request request) {
            super(in);
            this.request = request;
        }
    }

    /** Jetty's stream listener, plus a future for the headers that can be awaited without a timer. */
    private static final class StreamListener extends InputStreamResponseListener {
        final CompletableFuture<Response> headers = new CompletableFuture<>();

        @Override
        public void onHeaders(Response response) {
            super.onHeaders(response);
            headers.complete(response);
        }

        @Override
        public void onComplete(Result result) {
            super.onComplete(result);
            if (result.isFailed()) {
                headers.completeExceptionally(result.getFailure());
            }
        }
    }

    private Request request(Duration connectTimeout, URI uri, Map<String, String> headers, byte[] body) {
        Request request = client(connectTimeout).newRequest(uri)
                .method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", body));
        request.headers(h -> {
            headers.forEach(h::put);
            UpstreamTracing.inject(h::put); // the attempt's traceparent, when tracing is on
        });
        return request;
    }

    private static UpstreamException failure(String backend, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return UpstreamException.timeout(backend);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return UpstreamException.connect(backend);
        }
        return UpstreamException.connect(backend);
    }

    /** One started client per distinct connect timeout (Jetty sets it per client). */
    private HttpClient client(Duration connectTimeout) {
        Duration key = connectTimeout == null ? defaultConnectTimeout : connectTimeout;
        HttpClient c = clientsByConnectTimeout.get(key);
        return c != null ? c : clientsByConnectTimeout.computeIfAbsent(key, UpstreamHttp::start);
    }

    private static HttpClient start(Duration connectTimeout) {
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        // Responses are parsed on the selector thread that saw them arrive, not handed to a pool thread first: the
        // listeners here only complete a future or queue a chunk for the waiting request thread, never block. One
        // thread switch less per response: +8 % requests/s at 32 connections (bench/RESULTS.md).
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("tollgate-upstream");
        pool.setDaemon(true);
        client.setExecutor(pool);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(16_384);
        client.setMaxRequestsQueuedPerDestination(65_536);
        client.setIdleTimeout(120_000);
        // Each open stream holds its connection's read buffer between chunks of a few hundred bytes; Jetty's 16 KiB
        // default made it the largest part of the direct memory at 5,000 streams. A larger answer takes more reads.
        client.setResponseBufferSize(RESPONSE_BUFFER_BYTES);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the upstream HTTP client could not start", e);
        }
        // The gateway sends its provider credentials itself and never answers an authentication challenge. Jetty's
        // handlers for 401/407 would fail a 401 without WWW-Authenticate as a protocol violation, which hid the
        // upstream's answer (a streamed client got a 500); without them a 401 is an ordinary answer, mapped like any.
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        return client;
    }

    @Override
    public void close() {
        for (HttpClient client : clientsByConnectTimeout.values()) {
            try {
                client.stop();
            } catch (Exception ignored) {
                // shutting down
            }
        }
    }
}
