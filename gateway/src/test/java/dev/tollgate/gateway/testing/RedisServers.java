package dev.tollgate.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Redis for tests: the shared server on 127.0.0.1:6379 (with a unique key prefix per test), or a child process. */
public final class RedisServers {

    public static final String SHARED_URL = "redis://127.0.0.1:6379";

    private RedisServers() {
    }

    /** A key prefix no other test uses. */
    public static String uniquePrefix() {
        return "tollgate-test:" + UUID.randomUUID() + ":";
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code redis-server} on {@code port} without persistence and waits until it accepts connections. */
    public static Process start(int port, Path dir) {
        try {
            Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
            await().atMost(10, TimeUnit.SECONDS).until(() -> accepts(port));
            return p;
        } catch (IOException e) {
            throw new IllegalStateException("redis-server could not be started (is it installed?)", e);
        }
    }

    /** Kills the server and waits until the port is closed. */
    public static void kill(Process p, int port) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> !accepts(port));
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
