package io.capstan.store.sqlite;

import io.capstan.store.KeyValue;
import io.capstan.store.WatchEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of the kv table: a single change to a key; prevRevision is the row it supersedes (0: none). */
record Row(long id, String name, boolean created, boolean deleted, long createRevision, long prevRevision, byte[] value,
           byte[] oldValue) {

    static final String COLUMNS = "id, name, created, deleted, create_revision, prev_revision, value, old_value";
    static final String INSERT = "INSERT INTO kv (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4) != 0, rs.getLong(5), rs.getLong(6),
                rs.getBytes(7), rs.getBytes(8));
    }

    /** Binds this row to {@link #INSERT}. */
    void bind(PreparedStatement insert) throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, name);
        insert.setInt(3, created ? 1 : 0);
        insert.setInt(4, deleted ? 1 : 0);
        insert.setLong(5, createRevision);
        insert.setLong(6, prevRevision);
        insert.setBytes(7, value);
        insert.setBytes(8, oldValue);
    }

    KeyValue keyValue() {
        return new KeyValue(name, value, createRevision, id);
    }

    /** The watch event this change stands for. */
    WatchEvent event() {
        if (created) {
            return new WatchEvent(WatchEvent.Type.CREATED, keyValue(), null);
        }
        KeyValue previous = new KeyValue(name, oldValue, createRevision, prevRevision);
        return new WatchEvent(deleted ? WatchEvent.Type.DELETED : WatchEvent.Type.UPDATED, keyValue(), previous);
    }
}
