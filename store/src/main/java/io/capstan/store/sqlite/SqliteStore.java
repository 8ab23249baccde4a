package io.capstan.store.sqlite;

import io.capstan.store.ConflictException;
import io.capstan.store.FutureRevisionException;
import io.capstan.store.KeyExistsException;
import io.capstan.store.KeyNotFoundException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import io.capstan.store.StoreException;
import io.capstan.store.Watch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The embedded store: one SQLite file in WAL mode, one row per change (row id = revision), as kine
 * keeps Kubernetes' state in SQL. One writer thread commits queued writes in groups and hands them
 * to watchers in revision order; reads use a pool of their own connections and never wait for writes.
 */
public final class SqliteStore implements Store {

    private static final int READERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final ReaderPool readers;
    private final WatchHub hub;
    private final GroupCommitWriter writer;
    private final Compaction compaction;

    private SqliteStore(Connection writeConnection, ReaderPool readers) throws SQLException {
        this.readers = readers;
        long revision = queryLong(writeConnection, "SELECT seq FROM sqlite_sequence WHERE name = 'kv'");
        long compacted = queryLong(writeConnection, "SELECT value FROM meta WHERE key = '" + Compaction.META_KEY + "'");
        hub = new WatchHub(revision);
        writer = new GroupCommitWriter(writeConnection, revision, hub::publish);
        compaction = new Compaction(writer, compacted);
    }

    /** Opens (creating when absent) the store in file. */
    public static SqliteStore open(Path file) {
        Connection writeConnection = null;
        ReaderPool readers = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writeConnection = Schema.openWriter(file);
            // The schema exists before the read connections look at the file.
            Schema.create(writeConnection);
            readers = new ReaderPool(file, READERS);
            return new SqliteStore(writeConnection, readers);
        } catch (Exception e) {
            if (readers != null) {
                readers.close();
            }
            if (writeConnection != null) {
                Schema.closeQuietly(writeConnection);
            }
            throw new StoreException("cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long currentRevision() {
        return hub.published();
    }

    @Override
    public long compactedRevision() {
        return compaction.revision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        // At the published revision: a write committed but not yet sent to watchers is not visible yet.
        long revision = currentRevision();
        return readers.read(c -> {
            try (PreparedStatement latest = Reads.prepareLatest(c)) {
                return Reads.latest(latest, key, revision);
            }
        }).filter(r -> !r.deleted()).map(Row::keyValue);
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit, long revision) {
        long current = currentRevision();
        long at = revision == 0 ? current : revision;
        if (at > current) {
            throw new FutureRevisionException(at, current);
        }
        compaction.check(at);
        KeySpan span = KeySpan.of(prefix, startAfter);
        RangeResult result = readers.read(c -> {
            // One row beyond the limit tells whether more follow.
            List<KeyValue> items = Reads.range(c, span, limit > 0 ? limit + 1 : -1, at);
            if (limit <= 0 || items.size() <= limit) {
                return new RangeResult(items, at, false, 0);
            }
            items.removeLast();
            return new RangeResult(items, at, true, Reads.countLive(c, span.after(items.getLast().key()), at));
        });
        compaction.check(at);
        return result;
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        return writer.write(key, (latest, revision) -> {
            if (latest != null && !latest.deleted()) {
                throw new KeyExistsException(key);
            }
            return new Row(revision, key, true, false, revision, latest == null ? 0 : latest.id(), value, null);
        }).keyValue();
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        return writer.write(key, (latest, revision) -> {
            requireLive(key, latest, expectedModRevision);
            return new Row(revision, key, false, false, latest.createRevision(), latest.id(), value, latest.value());
        }).keyValue();
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        return writer.write(key, (latest, revision) -> {
            requireLive(key, latest, expectedModRevision);
            return new Row(revision, key, false, true, latest.createRevision(), latest.id(), latest.value(), latest.value());
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

    @Override
    public Watch watch(String prefix, long afterRevision) {
        compaction.check(afterRevision);
        SqliteWatch watch = new SqliteWatch(prefix, afterRevision, this::history, hub::remove);
        hub.register(watch);
        return watch;
    }

    private List<Row> history(KeySpan span, long after, long upTo, int limit) {
        List<Row> rows = readers.read(c -> Reads.history(c, span, after, upTo, limit));
        compaction.check(after);
        return rows;
    }

    @Override
    public void compact(long revision) {
        compaction.compactTo(Math.min(revision, currentRevision()));
    }

    /** Commits the writes already queued, then ends every watch and closes the file. */
    @Override
    public void close() {
        writer.close();
        hub.closeAll("store closed");
        readers.close();
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
