import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming load for bench/streams.sh: runs {@code warmup} unmeasured streams, then {@code total} chat-completion
 * streams with at most {@code concurrency} open at once, records time to first token per stream, and samples a
 * process's RSS meanwhile.
 *
 * <p>The client is a plain HTTP/1.1 socket per worker (keep-alive, one request at a time, virtual threads), so that
 * it costs the same whether the answer comes with Content-Length (nginx) or chunked (the gateway): time to first
 * token is from writing the request to reading the first {@code data:} bytes of the body. A stream counts as ok
 * when the status is 200 and its body holds {@code data: [DONE]}.
 *   java bench/StreamLoad.java &lt;url&gt; &lt;key&gt; &lt;total&gt; &lt;concurrency&gt; &lt;pid-to-sample or 0&gt; &lt;warmup&gt;
 * Prints: streams ok failed ttft_p50_us ttft_p99_us max_rss_mib
 */
public class StreamLoad {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String key = args[1];
        int streams = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        long pid = Long.parseLong(args[4]);
        int warmup = Integer.parseInt(args[5]);
        String json = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        byte[] request = ("POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + key + "\r\nContent-Length: "
                + json.length() + "\r\n\r\n" + json).getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
        if (warmup > 0) {
            run(address, request, warmup, concurrency, Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(), new AtomicInteger());
        }
        List<Long> ttft = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong maxRss = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (pid > 0) {
                maxRss.accumulateAndGet(rssKib(pid), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        run(address, request, streams, concurrency, ttft, ok, failed);
        sampler.interrupt();
        if (System.getenv("TTFT_DUMP") != null) { // every stream's time to first token in µs, in completion order
            Files.write(Path.of(System.getenv("TTFT_DUMP")), ttft.stream().map(String::valueOf).toList());
        }
        List<Long> sorted = new ArrayList<>(ttft);
        Collections.sort(sorted);
        long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99)));
        System.out.println(streams + " " + ok.get() + " " + failed.get() + " " + p50 + " " + p99 + " " + maxRss.get() / 1024);
    }

    /** {@code concurrency} workers, each on its own keep-alive connection, take the {@code streams} streams between them. */
    static void run(InetSocketAddress address, byte[] request, int streams, int concurrency, List<Long> ttft,
                    AtomicInteger ok, AtomicInteger failed) throws InterruptedException {
        BlockingQueue<Integer> todo = new ArrayBlockingQueue<>(streams);
        for (int i = 0; i < streams; i++) {
            todo.add(i);
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < Math.min(concurrency, streams); w++) {
                executor.submit(() -> {
                    Socket socket = null;
                    InputStream in = null;
                    while (todo.poll() != null) {
                        try {
                            if (socket == null) {
                                socket = new Socket();
                                socket.setTcpNoDelay(true);
                                socket.connect(address, 30_000);
                                in = new java.io.BufferedInputStream(socket.getInputStream(), 16_384);
                            }
                            long start = System.nanoTime();
                            socket.getOutputStream().write(request);
                            Answer answer = Answer.read(in);
                            if (answer.status == 200 && answer.done) {
                                ttft.add((answer.firstDataNanos - start) / 1000);
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            close(socket);
                            socket = null;
                        }
                    }
                    close(socket);
                    return null;
                });
            }
        }
    }

    private static void close(Socket socket) {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One HTTP/1.1 response: status, when the first {@code data:} bytes of the body arrived, and whether it held [DONE]. */
    static final class Answer {
        private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

        int status;
        long firstDataNanos;
        boolean done;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        static Answer read(InputStream in) throws IOException {
            Answer a = new Answer();
            String head = readHead(in);
            a.status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase();
            if (lower.contains("transfer-encoding: chunked")) {
                while (true) {
                    int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                    if (size == 0) {
                        readLine(in); // the blank line after the last chunk (no trailers here)
                        break;
                    }
                    a.append(in.readNBytes(size));
                    readLine(in);
                }
            } else {
                int at = lower.indexOf("content-length:");
                long length = at < 0 ? 0 : Long.parseLong(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
                while (length > 0) {
                    byte[] part = new byte[(int) Math.min(length, 8192)];
                    int n = in.read(part);
                    if (n < 0) {
                        throw new IOException("closed mid-body");
                    }
                    a.append(java.util.Arrays.copyOf(part, n));
                    length -= n;
                }
            }
            a.done = indexOf(a.body.toByteArray(), DONE) >= 0;
            return a;
        }

        private void append(byte[] bytes) {
            body.writeBytes(bytes);
            if (firstDataNanos == 0 && indexOf(body.toByteArray(), DATA) >= 0) {
                firstDataNanos = System.nanoTime();
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            while (!sb.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed before the headers ended");
                }
                sb.append((char) c);
            }
            return sb.toString();
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed mid-line");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
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
