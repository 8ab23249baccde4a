package io.capstan.runtime.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes one stream of a container (stdout or stderr) into a CRI-format log, for runtimes that hold
 * the container's stdio themselves. Each write becomes whole lines ({@code F}); a trailing piece
 * without newline, or a line longer than 16 KiB, goes out as {@code P} lines at once (as conmon does),
 * so a reader sees output that has no newline yet. Writers of one file share its lock.
 */
public final class CriLogWriter extends OutputStream {

    /** conmon's and the kubelet's largest log line: longer ones are split into partial lines. */
    static final int MAX_LINE = 16 * 1024;

    private final OutputStream file;
    private final String stream;
    private final Clock clock;

    /**
     * @param file the log file, shared by the stdout and stderr writers (it is their lock)
     * @param stream "stdout" or "stderr"
     */
    public CriLogWriter(OutputStream file, String stream, Clock clock) {
        this.file = file;
        this.stream = stream;
        this.clock = clock;
    }

    /** One physical CRI log line. */
    public static byte[] line(Instant time, String stream, boolean partial, byte[] content, int offset, int length) {
        byte[] head = (CriTimestamps.format(time) + " " + stream + (partial ? " P " : " F ")).getBytes(StandardCharsets.US_ASCII);
        byte[] line = Arrays.copyOf(head, head.length + length + 1);
        System.arraycopy(content, offset, line, head.length, length);
        line[line.length - 1] = '\n';
        return line;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Instant now = clock.instant();
        synchronized (file) {
            int start = off;
            int end = off + len;
            while (start < end) {
                int newline = indexOf(b, start, end);
                int stop = newline < 0 ? end : newline;
                // Long lines go out in pieces; the last piece of a line ending in a newline is its full line.
                while (stop - start > MAX_LINE) {
                    file.write(line(now, stream, true, b, start, MAX_LINE));
                    start += MAX_LINE;
                }
                file.write(line(now, stream, newline < 0, b, start, stop - start));
                start = newline < 0 ? end : newline + 1;
            }
            file.flush();
        }
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void flush() throws IOException {
        synchronized (file) {
            file.flush();
        }
    }

    /** Closes nothing: the file is shared and its owner closes it. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
