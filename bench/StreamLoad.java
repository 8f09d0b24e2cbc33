import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming load for bench/streams.sh: runs {@code warmup} unmeasured streams, then {@code total} chat-completion
 * streams with at most {@code concurrency} open at once (virtual threads), records time to first token per stream,
 * and samples a process's RSS meanwhile.
 *   java bench/StreamLoad.java <url> <key> <total> <concurrency> <pid-to-sample or 0> <warmup>
 * Prints: streams ok failed ttft_p50_us ttft_p99_us max_rss_mib
 */
public class StreamLoad {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        int streams = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        long pid = Long.parseLong(args[4]);
        int warmup = Integer.parseInt(args[5]);
        HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(30)).build();
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        if (warmup > 0) {
            run(client, url, key, body, warmup, concurrency, Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(), new AtomicInteger());
        }
        List<Long> ttft = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong maxRss = new AtomicLong();
        CountDownLatch done = new CountDownLatch(streams);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (done.getCount() > 0 && pid > 0) {
                maxRss.accumulateAndGet(rssKib(pid), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        run(client, url, key, body, streams, concurrency, ttft, ok, failed);
        while (done.getCount() > 0) {
            done.countDown();
        }
        sampler.interrupt();
        List<Long> sorted = new ArrayList<>(ttft);
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
        System.out.println(streams + " " + ok.get() + " " + failed.get() + " " + p50 + " " + p99 + " " + maxRss.get() / 1024);
    }

    static void run(HttpClient client, String url, String key, String body, int streams, int concurrency, List<Long> ttft,
                    AtomicInteger ok, AtomicInteger failed) throws InterruptedException {
        java.util.concurrent.Semaphore open = new java.util.concurrent.Semaphore(concurrency);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                open.acquire();
                executor.submit(() -> {
                    try {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                                .header("content-type", "application/json").header("authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        long start = System.nanoTime();
                        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        boolean first = true;
                        boolean finished = false;
                        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                                if (line.startsWith("data: ")) {
                                    if (first) {
                                        ttft.add((System.nanoTime() - start) / 1000);
                                        first = false;
                                    }
                                    if (line.equals("data: [DONE]")) {
                                        finished = true;
                                    }
                                }
                            }
                        }
                        (response.statusCode() == 200 && finished ? ok : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        open.release();
                    }
                    return null;
                });
            }
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // process gone
        }
        return 0;
    }
}
