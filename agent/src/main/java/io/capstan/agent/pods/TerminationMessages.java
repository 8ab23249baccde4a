package io.capstan.agent.pods;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A terminated container's message, as the kubelet finds it: the termination-log file (at most 4096 bytes), or,
 * with terminationMessagePolicy FallbackToLogsOnError, a failed container whose file is empty, the last 80 lines of
 * its log (at most the last 2048 bytes).
 */
public final class TerminationMessages {

    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;

    private TerminationMessages() {}

    /**
     * @param file the container's termination-log file on the host; null for none
     * @param logTail the container's last log lines (message text only, see {@link #criLogText}), read on demand
     */
    public static String message(Path file, String policy, int exitCode, Supplier<List<String>> logTail) {
        String fromFile = readFile(file);
        if (!fromFile.isEmpty() || exitCode == 0 || !"FallbackToLogsOnError".equals(policy)) {
            return fromFile;
        }
        return fromLog(logTail.get());
    }

    static String readFile(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "Error on reading termination log " + file + ": " + e.getMessage();
        }
    }

    /** The last 80 lines joined with newlines, cut to their last 2048 bytes. */
    static String fromLog(List<String> lines) {
        Deque<String> tail = new ArrayDeque<>();
        for (String line : lines) {
            tail.addLast(line);
            if (tail.size() > MAX_LOG_LINES) {
                tail.removeFirst();
            }
        }
        StringBuilder out = new StringBuilder();
        tail.forEach(l -> out.append(l).append('\n'));
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_LOG_BYTES) {
            return out.toString();
        }
        return new String(bytes, bytes.length - MAX_LOG_BYTES, MAX_LOG_BYTES, StandardCharsets.UTF_8);
    }

    /**
     * The text of CRI log lines ({@code 2026-01-01T00:00:00.000000000Z stdout F text}), partial lines ({@code P})
     * joined to the line they continue.
     */
    public static List<String> criLogText(List<String> criLines) {
        List<String> out = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        for (String line : criLines) {
            String[] parts = line.split(" ", 4);
            if (parts.length < 3) {
                continue;
            }
            partial.append(parts.length == 4 ? parts[3] : "");
            if (!parts[2].startsWith("P")) {
                out.add(partial.toString());
                partial.setLength(0);
            }
        }
        if (!partial.isEmpty()) {
            out.add(partial.toString());
        }
        return out;
    }
}
