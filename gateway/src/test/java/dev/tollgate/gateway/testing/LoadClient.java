package dev.tollgate.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends chat completions from several virtual threads until stopped, and keeps the client's own count: the request
 * ids of answers that arrived complete with 200 ("served"), and how many requests failed (connection refused or cut).
 */
public final class LoadClient implements AutoCloseable {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();

    public LoadClient(int port, String key, int threads) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        for (int i = 0; i < threads; i++) {
            senders.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("\"choices\"")) {
                            served.add(r.headers().firstValue("x-request-id").orElseThrow());
                        } else {
                            other.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        if (!running.get()) {
                            return;
                        }
                        try {
                            Thread.sleep(20); // a dead server refuses fast; do not spin
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }));
        }
    }

    public Set<String> served() {
        return served;
    }

    public int failed() {
        return failed.get();
    }

    public int otherStatus() {
        return other.get();
    }

    /** Stops sending and waits for every sender's last request to finish. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : senders) {
            t.join(Duration.ofSeconds(40));
        }
        http.close();
    }
}
