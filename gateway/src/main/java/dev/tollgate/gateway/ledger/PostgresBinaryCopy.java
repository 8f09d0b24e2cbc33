package dev.tollgate.gateway.ledger;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows in PostgreSQL's binary {@code COPY} format (the file format of the {@code COPY} documentation: a signature,
 * then per row a field count and each field as a length and its bytes in network order, -1 for NULL), sent with
 * pgjdbc's copy API. Only the types the ledger uses: text, bigint, integer and smallint.
 */
final class PostgresBinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    PostgresBinaryCopy(int expectedBytes) {
        bytes = new ByteArrayOutputStream(expectedBytes);
        out = new DataOutputStream(bytes);
        write(() -> {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // no header extension
        });
    }

    void startRow(int fields) {
        write(() -> out.writeShort(fields));
    }

    void text(String value) {
        byte[] utf8 = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        field(utf8, utf8 == null ? 0 : utf8.length, () -> out.write(utf8));
    }

    void int8(Long value) {
        field(value, 8, () -> out.writeLong(value));
    }

    void int4(Integer value) {
        field(value, 4, () -> out.writeInt(value));
    }

    void int2(Short value) {
        field(value, 2, () -> out.writeShort(value));
    }

    /** A field: its length and {@code bytes}, or -1 for NULL. */
    private void field(Object value, int length, IoWrite bytes) {
        write(() -> {
            if (value == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(length);
                bytes.run();
            }
        });
    }

    /** Ends the data and runs {@code copySql} ({@code COPY … FROM STDIN (FORMAT binary)}) with it on the connection. */
    void into(Connection connection, String copySql) throws SQLException {
        write(() -> out.writeShort(-1)); // trailer
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new SQLException("COPY of ledger rows failed: " + e.getMessage(), e);
        }
    }

    private void write(IoWrite write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    @FunctionalInterface
    private interface IoWrite {
        void run() throws IOException;
    }
}
