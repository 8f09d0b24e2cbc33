package dev.tollgate.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free local port (JDK {@link HttpServer}): records every POST, answers 200, or 500 for the
 * next {@link #failNext n}, or holds every answer while {@link #hold} is closed.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One POST as received, and the status it was answered with. */
    public record Post(String path, String idempotencyKey, String authorization, String contentType, String body, int status) {
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        held.incrementAndGet();
        try {
            hold.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
        int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
        var headers = exchange.getRequestHeaders();
        posts.add(new Post(exchange.getRequestURI().getPath(), headers.getFirst("Idempotency-Key"), headers.getFirst("Authorization"),
                headers.getFirst("Content-Type"), body, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the next {@code n} POSTs with 500. */
    public WebhookReceiver failNext(int n) {
        failuresLeft.set(n);
        return this;
    }

    /** Holds every answer until the returned latch is counted down. */
    public CountDownLatch hold() {
        CountDownLatch latch = new CountDownLatch(1);
        hold = latch;
        return latch;
    }

    /** POSTs waiting in {@link #hold}. */
    public int held() {
        return held.get();
    }

    /** Every POST answered so far, in order. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** POSTs to {@code path} answered 200. */
    public List<Post> delivered(String path) {
        return posts.stream().filter(p -> p.path().equals(path) && p.status() == 200).toList();
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
    }
}
