package dev.tollgate.api.config;

import java.time.Duration;

/**
 * Behaviour of the built-in mock provider.
 *
 * @param chunkDelay  pause between streamed chunks
 * @param words       words in each answer
 */
public record MockSettings(Duration chunkDelay, int words) {

    public static MockSettings defaults() {
        return new MockSettings(Duration.ZERO, 12);
    }
}
