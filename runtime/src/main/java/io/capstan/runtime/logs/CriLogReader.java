package io.capstan.runtime.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's CRI-format log as the kubelet serves it: partial lines joined into messages,
 * filtered by time, the last N lines, optional timestamps and a byte limit. Following, it keeps
 * reading as the file grows, moves on to the new file when the log is rotated (renamed and
 * recreated), and stops once the container has ended and everything it wrote has been read.
 */
public final class CriLogReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Path path;
    private final LogOptions options;
    private final BooleanSupplier running;
    private final Duration poll;
    /** Partial messages per stream (stdout and stderr interleave in one file). */
    private final Map<String, Partial> partials = new HashMap<>();

    private record Partial(Instant time, ByteArrayOutputStream content) {}

    /**
     * @param path the container's current log file
     * @param running asked while following: false once the container has ended, so the reader stops after draining
     */
    public CriLogReader(Path path, LogOptions options, BooleanSupplier running) {
        this(path, options, running, POLL);
    }

    CriLogReader(Path path, LogOptions options, BooleanSupplier running, Duration poll) {
        this.path = path;
        this.options = options;
        this.running = running;
        this.poll = poll;
    }

    /** Writes the selected log to out, flushing after each burst; returns when done (following: when the container has ended). */
    public void copyTo(OutputStream out) throws IOException, InterruptedException {
        LogSink sink = new LogSink(out, options);
        LogFile file = LogFile.open(path);
        try {
            if (file != null) {
                readAvailable(file, sink);
            }
            sink.endTail();
            sink.flush();
            if (!options.follow()) {
                flushPartials(sink);
                return;
            }
            while (!sink.full()) {
                // Ask first, read after: whatever was written before the container ended is drained.
                boolean alive = running.getAsBoolean();
                if (file == null) {
                    file = LogFile.open(path);
                }
                while (file != null) {
                    readAvailable(file, sink);
                    if (!file.replaced()) {
                        break;
                    }
                    readAvailable(file, sink); // what reached the old file after our last read
                    file.close();
                    file = LogFile.open(path);
                }
                sink.flush();
                if (!alive) {
                    flushPartials(sink);
                    return;
                }
                Thread.sleep(poll);
            }
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    private void readAvailable(LogFile file, LogSink sink) throws IOException {
        byte[] line;
        while (!sink.full() && (line = file.nextLine()) != null) {
            CriLogLine parsed = CriLogLine.parse(line, line.length);
            if (parsed == null) {
                continue;
            }
            Partial partial = partials.get(parsed.stream());
            if (parsed.partial()) {
                if (partial == null) {
                    partial = new Partial(parsed.time(), new ByteArrayOutputStream());
                    partials.put(parsed.stream(), partial);
                }
                partial.content().writeBytes(parsed.content());
                continue;
            }
            if (partial == null) {
                sink.message(parsed.time(), parsed.content(), true);
            } else {
                partials.remove(parsed.stream());
                partial.content().writeBytes(parsed.content());
                sink.message(partial.time(), partial.content().toByteArray(), true);
            }
        }
    }

    private void flushPartials(LogSink sink) throws IOException {
        for (Partial partial : partials.values()) {
            sink.message(partial.time(), partial.content().toByteArray(), false);
        }
        partials.clear();
        sink.flush();
    }
}
