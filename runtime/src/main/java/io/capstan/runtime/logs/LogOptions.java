package io.capstan.runtime.logs;

import java.time.Instant;

/**
 * What part of a container's log to read, as the kubelet's containerLogs endpoint takes it.
 *
 * @param follow keep reading as the log grows until the container has ended
 * @param tailLines only the last N lines already written (-1: all)
 * @param since only lines written at or after this instant (null: all)
 * @param timestamps prefix each line with its RFC 3339 timestamp (nanoseconds, UTC)
 * @param limitBytes stop after this many bytes of output (-1: no limit)
 */
public record LogOptions(boolean follow, long tailLines, Instant since, boolean timestamps, long limitBytes) {

    /** The whole log, once, without timestamps. */
    public static final LogOptions ALL = new LogOptions(false, -1, null, false, -1);
}
