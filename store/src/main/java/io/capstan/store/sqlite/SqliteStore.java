package io.capstan.store.sqlite;

import io.capstan.store.CompactedException;
import io.capstan.store.ConflictException;
import io.capstan.store.FutureRevisionException;
import io.capstan.store.KeyExistsException;
import io.capstan.store.KeyNotFoundException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import io.capstan.store.StoreException;
import io.capstan.store.Watch;
import io.capstan.store.WatchEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded store: one SQLite file in WAL mode, one row per change (row id = revision), as kine
 * keeps Kubernetes' state in SQL. Writes are serialized by one lock over one connection (SQLite
 * has one writer anyway) and reach watchers in revision order right after they commit; reads use
 * a small pool of their own connections so they never wait for writes.
 */
public final class SqliteStore implements Store {

    private static final int READERS = 4;

    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong revision = new AtomicLong();
    private final AtomicLong compacted = new AtomicLong();
    private final List<SqliteWatch> watches = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private SqliteStore(Path file) throws SQLException {
        writer = DriverManager.getConnection("jdbc:sqlite:" + file);
        Schema.tune(writer);
        Schema.create(writer);
        for (int i = 0; i < READERS; i++) {
            Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
            Schema.tune(reader);
            readers.add(reader);
        }
        writer.setAutoCommit(false);
        revision.set(queryLong(writer, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'kv'), 0)"));
        compacted.set(queryLong(writer, "SELECT COALESCE((SELECT value FROM meta WHERE key = 'compacted'), 0)"));
        writer.commit();
    }

    /** Opens (creating when absent) the store in file. */
    public static SqliteStore open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return new SqliteStore(file);
        } catch (Exception e) {
            throw new StoreException("cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long currentRevision() {
        return revision.get();
    }

    @Override
    public long compactedRevision() {
        return compacted.get();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return read(c -> latest(c, key).filter(r -> !r.deleted()).map(Row::keyValue));
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit, long atRevision) {
        long current = revision.get();
        long at = atRevision == 0 ? current : atRevision;
        if (at > current) {
            throw new FutureRevisionException(at, current);
        }
        if (at < compacted.get()) {
            throw new CompactedException(at, compacted.get());
        }
        String from = startAfter == null || startAfter.compareTo(prefix) < 0 ? prefix : startAfter;
        boolean exclusive = startAfter != null && startAfter.compareTo(prefix) >= 0;
        String end = prefixEnd(prefix);
        String live = "SELECT MAX(id) AS mid FROM kv WHERE name " + (exclusive ? ">" : ">=") + " ? AND name < ? AND id <= ? GROUP BY name";
        return read(c -> {
            List<KeyValue> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Row.QUALIFIED_COLUMNS + " FROM kv k JOIN (" + live + ") m ON k.id = m.mid WHERE k.deleted = 0 ORDER BY k.name"
                    + (limit > 0 ? " LIMIT " + (limit + 1) : ""))) {
                ps.setString(1, from);
                ps.setString(2, end);
                ps.setLong(3, at);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(Row.read(rs).keyValue());
                    }
                }
            }
            if (limit <= 0 || items.size() <= limit) {
                return new RangeResult(items, at, false, 0);
            }
            items.removeLast();
            long remaining = countLive(c, items.getLast().key(), end, at);
            return new RangeResult(items, at, true, remaining);
        });
    }

    private static long countLive(Connection c, String after, String end, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kv k JOIN (SELECT MAX(id) AS mid FROM kv "
                + "WHERE name > ? AND name < ? AND id <= ? GROUP BY name) m ON k.id = m.mid WHERE k.deleted = 0")) {
            ps.setString(1, after);
            ps.setString(2, end);
            ps.setLong(3, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        return write(key, latest -> {
            if (latest != null && !latest.deleted()) {
                throw new KeyExistsException(key);
            }
            long id = revision.get() + 1;
            return new Row(id, key, true, false, id, latest == null ? 0 : latest.id(), value, null);
        }).keyValue();
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        return write(key, latest -> {
            requireLive(key, latest, expectedModRevision);
            return new Row(revision.get() + 1, key, false, false, latest.createRevision(), latest.id(), value, latest.value());
        }).keyValue();
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        return write(key, latest -> {
            requireLive(key, latest, expectedModRevision);
            return new Row(revision.get() + 1, key, false, true, latest.createRevision(), latest.id(), latest.value(), latest.value());
        }).keyValue();
    }

    private static void requireLive(String key, Row latest, long expected) {
        if (latest == null || latest.deleted()) {
            throw new KeyNotFoundException(key);
        }
        if (expected != 0 && latest.id() != expected) {
            throw new ConflictException(key, expected, latest.keyValue());
        }
    }

    /** The change function decides the new row from the key's latest row (or null); it runs under the write lock. */
    private interface Change {
        Row apply(Row latest);
    }

    private Row write(String key, Change change) {
        writeLock.lock();
        try {
            ensureOpen();
            Row row = change.apply(latest(writer, key).orElse(null));
            try (PreparedStatement ps = writer.prepareStatement("INSERT INTO kv (" + Row.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, row.id());
                ps.setString(2, row.name());
                ps.setInt(3, row.created() ? 1 : 0);
                ps.setInt(4, row.deleted() ? 1 : 0);
                ps.setLong(5, row.createRevision());
                ps.setLong(6, row.prevRevision());
                ps.setBytes(7, row.value());
                ps.setBytes(8, row.oldValue());
                ps.executeUpdate();
            }
            writer.commit();
            revision.set(row.id());
            WatchEvent event = row.event();
            for (SqliteWatch w : watches) {
                if (w.wants(key)) {
                    w.deliver(event);
                }
            }
            return row;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("write of " + key + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision) {
        // Registration and the history read happen under the write lock, so no write falls between them.
        writeLock.lock();
        try {
            ensureOpen();
            if (afterRevision < compacted.get()) {
                throw new CompactedException(afterRevision, compacted.get());
            }
            List<WatchEvent> history = new ArrayList<>();
            if (afterRevision < revision.get()) {
                try (PreparedStatement ps = writer.prepareStatement("SELECT " + Row.COLUMNS
                        + " FROM kv WHERE id > ? AND name >= ? AND name < ? ORDER BY id")) {
                    ps.setLong(1, afterRevision);
                    ps.setString(2, prefix);
                    ps.setString(3, prefixEnd(prefix));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            history.add(Row.read(rs).event());
                        }
                    }
                }
                writer.commit();
            }
            SqliteWatch watch = new SqliteWatch(prefix, history, watches::remove);
            watches.add(watch);
            return watch;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("watch of " + prefix + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void compact(long upTo) {
        writeLock.lock();
        try {
            ensureOpen();
            long target = Math.min(upTo, revision.get());
            if (target <= compacted.get()) {
                return;
            }
            try (PreparedStatement ps = writer.prepareStatement("DELETE FROM kv WHERE id IN (SELECT k.id FROM kv k WHERE k.id <= ?1 "
                    + "AND (k.deleted = 1 OR EXISTS (SELECT 1 FROM kv n WHERE n.name = k.name AND n.id > k.id AND n.id <= ?1)))")) {
                ps.setLong(1, target);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = writer.prepareStatement(
                    "INSERT INTO meta (key, value) VALUES ('compacted', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                ps.setLong(1, target);
                ps.executeUpdate();
            }
            writer.commit();
            compacted.set(target);
        } catch (SQLException e) {
            rollback();
            throw new StoreException("compaction failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (SqliteWatch w : watches) {
                w.end("store closed");
            }
            closeQuietly(writer);
            for (Connection c : readers) {
                closeQuietly(c);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("store is closed");
        }
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            // the connection is unusable; the next write reports it
        }
    }

    private static Optional<Row> latest(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Row.COLUMNS + " FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Row.read(rs)) : Optional.empty();
            }
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The smallest string greater than every string starting with prefix. */
    static String prefixEnd(String prefix) {
        if (prefix.isEmpty()) {
            return "\uffff";
        }
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    /** A read on a pooled reader connection. */
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> read) {
        ensureOpen();
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a reader");
        }
        try {
            return read.run(c);
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }
}
