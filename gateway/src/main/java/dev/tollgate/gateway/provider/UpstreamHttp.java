package dev.tollgate.gateway.provider;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;

/**
 * The pooled, keep-alive HTTP client every provider uses (the JDK's {@link HttpClient}, HTTP/1.1, one client
 * for the process). Maps transport failures to {@link UpstreamException}.
 */
public final class UpstreamHttp implements AutoCloseable {

    private final Duration defaultConnectTimeout;
    private final ConcurrentMap<Duration, HttpClient> clientsByConnectTimeout = new ConcurrentHashMap<>();

    public UpstreamHttp(Duration connectTimeout) {
        this.defaultConnectTimeout = connectTimeout;
    }

    /** POSTs JSON and returns the whole answer. */
    public HttpResponse<byte[]> postJson(String backend, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        return postJson(backend, uri, headers, body, timeout, defaultConnectTimeout);
    }

    /** POSTs JSON and returns the whole answer, connecting within {@code connectTimeout}. */
    public HttpResponse<byte[]> postJson(String backend, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
                                         Duration connectTimeout) {
        return send(backend, connectTimeout, request(uri, headers, body, timeout), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs JSON and returns the answer as a stream to read as it arrives; the caller closes it. */
    public HttpResponse<InputStream> postJsonStreaming(String backend, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        return postJsonStreaming(backend, uri, headers, body, timeout, defaultConnectTimeout);
    }

    /** As {@link #postJsonStreaming(String, URI, Map, byte[], Duration)}, connecting within {@code connectTimeout}. */
    public HttpResponse<InputStream> postJsonStreaming(String backend, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
                                                       Duration connectTimeout) {
        return send(backend, connectTimeout, request(uri, headers, body, timeout), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** One pooled client per distinct connect timeout (the JDK client sets it per client, not per request). */
    private HttpClient client(Duration connectTimeout) {
        Duration key = connectTimeout == null ? defaultConnectTimeout : connectTimeout;
        HttpClient c = clientsByConnectTimeout.get(key);
        return c != null ? c : clientsByConnectTimeout.computeIfAbsent(key, t -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(t)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return b.build();
    }

    private <T> HttpResponse<T> send(String backend, Duration connectTimeout, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client(connectTimeout).send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw UpstreamException.connect(backend);
        } catch (HttpTimeoutException e) {
            throw UpstreamException.timeout(backend);
        } catch (IOException e) {
            throw UpstreamException.connect(backend);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.timeout(backend);
        }
    }

    @Override
    public void close() {
        clientsByConnectTimeout.values().forEach(HttpClient::close);
    }
}
