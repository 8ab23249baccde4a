package io.capstan.apiserver.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-lines file written by one thread from a queue, so a request only hands its line over. Past maxBytes the file
 * is renamed to name-TIMESTAMP.ext (kube-apiserver's lumberjack naming) and a new one begun; only the newest
 * maxBackups renamed files are kept (0: all). Path "-" writes to standard output, never rotated.
 */
public final class AuditLogFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogFile.class);
    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);
    private static final byte[] END = new byte[0];

    private final Path path;
    private final long maxBytes;
    private final int maxBackups;
    private final Clock clock;
    // Bounded: a stalled disk slows requests down rather than filling the heap.
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;
    private OutputStream out;
    private long size;

    /** maxBytes 0: never rotated. */
    public AuditLogFile(Path path, long maxBytes, int maxBackups, Clock clock) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.maxBackups = maxBackups;
        this.clock = clock;
        open();
        writer = Thread.ofPlatform().daemon().name("audit-log").start(this::drain);
    }

    /** Queues one line (without its newline). */
    public void write(byte[] line) {
        try {
            queue.put(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try {
            while (true) {
                byte[] line = queue.take();
                if (line == END) {
                    break;
                }
                append(line);
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.error("the audit log {} cannot be written; auditing stops", path, e);
        }
    }

    private void append(byte[] line) throws IOException {
        if (maxBytes > 0 && size > 0 && size + line.length + 1 > maxBytes && !isStdout()) {
            rotate();
        }
        out.write(line);
        out.write('\n');
        size += line.length + 1;
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(path, backupName());
        open();
        prune();
    }

    private Path backupName() {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Path candidate = path.resolveSibling(base + "-" + BACKUP_TIME.format(clock.instant()) + ext);
        for (int i = 1; Files.exists(candidate); i++) {
            candidate = path.resolveSibling(base + "-" + BACKUP_TIME.format(clock.instant()) + "-" + i + ext);
        }
        return candidate;
    }

    /** The rotated files beside the log, oldest first. */
    List<Path> backups() throws IOException {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name) + "-";
        String ext = dot > 0 ? name.substring(dot) : "";
        try (Stream<Path> files = Files.list(path.toAbsolutePath().getParent())) {
            List<Path> found = new ArrayList<>(files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(base) && n.endsWith(ext) && !n.equals(name);
            }).sorted().toList());
            return found;
        }
    }

    private void prune() throws IOException {
        if (maxBackups <= 0) {
            return;
        }
        List<Path> backups = backups();
        for (int i = 0; i < backups.size() - maxBackups; i++) {
            Files.deleteIfExists(backups.get(i));
        }
    }

    private void open() throws IOException {
        if (isStdout()) {
            out = new BufferedOutputStream(System.out, 64 * 1024);
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(path);
    }

    private boolean isStdout() {
        return path.toString().equals("-");
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        write(END);
        try {
            writer.join(10_000);
            if (!isStdout()) {
                out.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("closing the audit log {} failed", path, e);
        }
    }
}
