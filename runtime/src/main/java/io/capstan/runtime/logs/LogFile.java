package io.capstan.runtime.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/**
 * One open log file read line by line from where the last read stopped. It stays open when the file is
 * renamed away by rotation, so what was written before the rename can still be drained.
 */
final class LogFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final Object key;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private byte[] pending = new byte[0];
    private int pendingLength;

    private LogFile(Path path, FileChannel channel, Object key) {
        this.path = path;
        this.channel = channel;
        this.key = key;
    }

    /** Opens the file now at path, or returns null when there is none (yet). */
    static LogFile open(Path path) throws IOException {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return new LogFile(path, channel, fileKey(path));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The next complete line (without its newline), or null when none is complete yet. */
    byte[] nextLine() throws IOException {
        while (true) {
            for (int i = 0; i < pendingLength; i++) {
                if (pending[i] == '\n') {
                    byte[] line = Arrays.copyOf(pending, i);
                    System.arraycopy(pending, i + 1, pending, 0, pendingLength - i - 1);
                    pendingLength -= i + 1;
                    return line;
                }
            }
            chunk.clear();
            int n = channel.read(chunk);
            if (n <= 0) {
                return null;
            }
            if (pending.length < pendingLength + n) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
            }
            System.arraycopy(chunk.array(), 0, pending, pendingLength, n);
            pendingLength += n;
        }
    }

    /**
     * Whether the path now names another file (renamed and recreated, as conmon and the kubelet rotate)
     * or this one was truncated under us.
     */
    boolean replaced() throws IOException {
        Object now = fileKey(path);
        if (now == null) {
            return false; // between the rename and the new file: keep draining the old one
        }
        return !Objects.equals(now, key) || channel.size() < channel.position();
    }

    private static Object fileKey(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return key != null ? key : attributes.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
