package io.capstan.store.sqlite;

import io.capstan.store.CompactedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drops superseded rows and tombstones, as kine does, and keeps the compacted revision. It runs in
 * steps, each a short transaction on the writer, so writes are never held up for long.
 */
final class Compaction {

    static final String META_KEY = "compacted";
    private static final long STEP = 5_000;

    private final GroupCommitWriter writer;
    private final AtomicLong compacted;
    private final ReentrantLock running = new ReentrantLock();

    Compaction(GroupCommitWriter writer, long compacted) {
        this.writer = writer;
        this.compacted = new AtomicLong(compacted);
    }

    long revision() {
        return compacted.get();
    }

    /**
     * Fails when revision is below the compacted revision. Called before a read, and again after it:
     * the revision is raised before each step commits, so a read that saw a step's deletions fails.
     */
    void check(long revision) {
        long now = compacted.get();
        if (revision < now) {
            throw new CompactedException(revision, now);
        }
    }

    /** Compacts up to target (no further than the caller allows), one step at a time. */
    void compactTo(long target) {
        running.lock();
        try {
            for (long from = compacted.get(); from < target; from = compacted.get()) {
                long to = Math.min(target, from + STEP);
                long before = from;
                try {
                    writer.maintain(c -> {
                        compacted.set(to);
                        step(c, before, to);
                    });
                } catch (RuntimeException e) {
                    compacted.set(before); // the step rolled back: its rows are all still there
                    throw e;
                }
            }
        } finally {
            running.unlock();
        }
    }

    /**
     * Rows up to from are already compacted, so every row a change in (from, to] supersedes is found
     * through that change's prev_revision; tombstones in (from, to] go as well.
     */
    private static void step(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement superseded = c.prepareStatement(
                "DELETE FROM kv WHERE id IN (SELECT prev_revision FROM kv WHERE id > ? AND id <= ? AND prev_revision > 0)");
             PreparedStatement tombstones = c.prepareStatement("DELETE FROM kv WHERE id > ? AND id <= ? AND deleted = 1");
             PreparedStatement mark = c.prepareStatement(
                     "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            for (PreparedStatement ps : new PreparedStatement[] {superseded, tombstones}) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                ps.executeUpdate();
            }
            mark.setString(1, META_KEY);
            mark.setLong(2, to);
            mark.executeUpdate();
        }
    }
}
