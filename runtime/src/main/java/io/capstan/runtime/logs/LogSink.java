package io.capstan.runtime.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Where whole messages go: filtered by time, prefixed with their timestamp when asked, held back as the
 * last N while the tail is being found, and cut off at the byte limit.
 */
final class LogSink {

    private final OutputStream out;
    private final LogOptions options;
    private ArrayDeque<byte[]> tail; // null once the tail has gone out
    private long remaining;

    LogSink(OutputStream out, LogOptions options) {
        this.out = out;
        this.options = options;
        this.tail = options.tailLines() >= 0 ? new ArrayDeque<>() : null;
        this.remaining = options.limitBytes() < 0 ? Long.MAX_VALUE : options.limitBytes();
    }

    /** A message; {@code complete} adds its newline (a partial message left at the end goes out as it is). */
    void message(Instant time, byte[] content, boolean complete) throws IOException {
        if (options.since() != null && time.isBefore(options.since())) {
            return;
        }
        byte[] prefix = options.timestamps() ? (CriTimestamps.format(time) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
        byte[] whole = new byte[prefix.length + content.length + (complete ? 1 : 0)];
        System.arraycopy(prefix, 0, whole, 0, prefix.length);
        System.arraycopy(content, 0, whole, prefix.length, content.length);
        if (complete) {
            whole[whole.length - 1] = '\n';
        }
        if (tail != null) {
            tail.addLast(whole);
            if (tail.size() > options.tailLines()) {
                tail.removeFirst();
            }
            return;
        }
        write(whole);
    }

    /** Ends the search for the tail: what was held back goes out, later messages go straight through. */
    void endTail() throws IOException {
        if (tail == null) {
            return;
        }
        ArrayDeque<byte[]> held = tail;
        tail = null;
        for (byte[] message : held) {
            write(message);
        }
    }

    boolean full() {
        return remaining <= 0;
    }

    void flush() throws IOException {
        out.flush();
    }

    private void write(byte[] bytes) throws IOException {
        if (remaining <= 0) {
            return;
        }
        int n = (int) Math.min(bytes.length, remaining);
        out.write(bytes, 0, n);
        remaining -= n;
    }
}
