package io.capstan.store.sqlite;

import io.capstan.store.KeyValue;
import io.capstan.store.WatchEvent;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of the kv table: a single change to a key. */
record Row(long id, String name, boolean created, boolean deleted, long createRevision, long prevRevision, byte[] value,
           byte[] oldValue) {

    static final String COLUMNS = "id, name, created, deleted, create_revision, prev_revision, value, old_value";
    static final String QUALIFIED_COLUMNS = "k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value, k.old_value";

    static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4) != 0, rs.getLong(5), rs.getLong(6),
                rs.getBytes(7), rs.getBytes(8));
    }

    KeyValue keyValue() {
        return new KeyValue(name, value, createRevision, id);
    }

    /** The watch event this change stands for. */
    WatchEvent event() {
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETED, keyValue(), new KeyValue(name, oldValue, createRevision, prevRevision));
        }
        if (created) {
            return new WatchEvent(WatchEvent.Type.CREATED, keyValue(), null);
        }
        return new WatchEvent(WatchEvent.Type.UPDATED, keyValue(), new KeyValue(name, oldValue, createRevision, prevRevision));
    }
}
