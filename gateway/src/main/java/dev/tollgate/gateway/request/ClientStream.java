package dev.tollgate.gateway.request;

import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.ChunkSink;

import java.io.IOException;

/**
 * A stream to the client in its API's format. Headers are committed with the first chunk, so until then a failure can
 * still become a normal JSON error (or a failover).
 */
public interface ClientStream extends ChunkSink {

    /** Ends a successful stream. */
    void done() throws IOException;

    /** Ends a stream that failed after its first byte with an error event. */
    void fail(GatewayException error);

    boolean started();

    /**
     * Writes this API's keep-alive (something its clients ignore) if the stream has started and been silent for
     * {@code idleNanos}; may be called from another thread than the one writing the stream.
     *
     * @throws IOException when the client has gone away
     */
    void keepAlive(long idleNanos) throws IOException;

    /** {@link System#nanoTime()} of the first byte sent, 0 before. */
    long firstByteNanos();

    /** The text streamed so far, for counting tokens when the provider reports none. */
    String text();
}
