package dev.tollgate.gateway.ledger.spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A journal segment appended with one {@code write} per row: the fallback where files cannot be unmapped at once. */
final class WrittenJournalSegment implements JournalSegment {

    private final FileChannel channel;

    private WrittenJournalSegment(FileChannel channel) {
        this.channel = channel;
    }

    static WrittenJournalSegment create(Path file) throws IOException {
        return new WrittenJournalSegment(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
    }

    @Override
    public boolean append(byte[] row) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(row);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        return true;
    }

    @Override
    public void force() throws IOException {
        try {
            channel.force(false);
        } catch (ClosedChannelException rolled) {
            // closing forced it
        }
    }

    @Override
    public void close() throws IOException {
        force();
        channel.close();
    }
}
