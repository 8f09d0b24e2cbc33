package dev.tollgate.gateway.request;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client's event stream output that a second thread may write a keep-alive to: every write is serialized, and
 * {@link #keepAlive} writes only between two events (the last bytes written were the {@code \n\n} that ends an SSE
 * event) and only when the stream has been silent for a while, so it never splits an event or delays one.
 */
public final class SseOutput extends OutputStream {

    private final OutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long lastWriteNanos = System.nanoTime();
    private int tail; // the last two bytes written, to see an event boundary

    public SseOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            out.write(b);
            tail = (tail << 8 | (b & 0xff)) & 0xffff;
            lastWriteNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        lock.lock();
        try {
            out.write(b, off, len);
            tail = len >= 2 ? (b[off + len - 2] & 0xff) << 8 | (b[off + len - 1] & 0xff) : (tail << 8 | (b[off] & 0xff)) & 0xffff;
            lastWriteNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes and flushes {@code event} (a whole SSE comment or event) when nothing was written for {@code idleNanos}
     * and the stream stands between two events; does nothing while the stream's own thread is writing.
     *
     * @throws IOException when the client has gone away
     */
    public void keepAlive(byte[] event, long idleNanos) throws IOException {
        if (System.nanoTime() - lastWriteNanos < idleNanos || !lock.tryLock()) {
            return;
        }
        try {
            if (tail == ('\n' << 8 | '\n')) {
                out.write(event);
                out.flush();
                lastWriteNanos = System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
    }
}
