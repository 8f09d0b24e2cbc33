package dev.tollgate.gateway.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void anIdIsReqThenTheMillisecondThenEightyRandomBitsInHex() {
        long millis = Instant.parse("2026-11-27T21:00:00.123Z").toEpochMilli();

        String id = RequestIds.next(millis);

        assertThat(id).matches("req_[0-9a-f]{32}");
        assertThat(Long.parseLong(id.substring(4, 16), 16)).isEqualTo(millis);
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnes() {
        long start = Instant.parse("2026-11-27T21:00:00Z").toEpochMilli();
        List<String> ids = new ArrayList<>();
        for (long ms = start; ms < start + 5_000; ms += 7) {
            ids.add(RequestIds.next(ms));
        }

        assertThat(ids).isSorted();
        // across a hex digit carry too: ...fff ms sorts before ...000 of the next
        assertThat(RequestIds.next(0xfffL)).isLessThan(RequestIds.next(0x1000L));
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomPart() {
        Set<String> ids = new HashSet<>();
        List<Set<Character>> digitsSeen = new ArrayList<>();
        for (int d = 16; d < 36; d++) {
            digitsSeen.add(new HashSet<>());
        }
        for (int i = 0; i < 100_000; i++) {
            String id = RequestIds.next(1_790_000_000_000L);
            ids.add(id);
            for (int d = 16; d < 36; d++) {
                digitsSeen.get(d - 16).add(id.charAt(d));
            }
        }

        assertThat(ids).hasSize(100_000);
        // each of the 20 random hex digits takes all 16 values (a stuck or short digit would not)
        assertThat(digitsSeen).allSatisfy(seen -> assertThat(seen).hasSize(16));
    }

    @Test
    void nextUsesTheWallClock() {
        long before = System.currentTimeMillis();
        String id = RequestIds.next();
        long after = System.currentTimeMillis();

        assertThat(Long.parseLong(id.substring(4, 16), 16)).isBetween(before, after);
    }
}
