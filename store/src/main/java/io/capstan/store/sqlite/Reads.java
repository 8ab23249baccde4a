package io.capstan.store.sqlite;

import io.capstan.store.KeyValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The store's queries. A key's state at revision r is its newest row with id <= r, absent when that row is a tombstone. */
final class Reads {

    /** k is the newest row of its name at revision ?: no newer row of the same name at or below it. */
    private static final String NEWEST = "NOT EXISTS (SELECT 1 FROM kv n WHERE n.name = k.name AND n.id > k.id AND n.id <= ?)";

    private Reads() {}

    /** The newest row of key at or below revision, tombstone or not. */
    static Optional<Row> latest(PreparedStatement latest, String key, long revision) throws SQLException {
        latest.setString(1, key);
        latest.setLong(2, revision);
        try (ResultSet rs = latest.executeQuery()) {
            return rs.next() ? Optional.of(Row.read(rs)) : Optional.empty();
        }
    }

    static PreparedStatement prepareLatest(Connection c) throws SQLException {
        return c.prepareStatement("SELECT " + Row.COLUMNS + " FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1");
    }

    /** The live keys of span at revision, in key order, at most limit of them (negative: all). */
    static List<KeyValue> range(Connection c, KeySpan span, int limit, long revision) throws SQLException {
        String sql = "SELECT " + Row.COLUMNS + " FROM kv k WHERE " + liveAt(span) + " ORDER BY k.name LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = bindLiveAt(ps, span, revision);
            ps.setInt(next, limit);
            List<KeyValue> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(Row.read(rs).keyValue());
                }
            }
            return items;
        }
    }

    /** How many keys of span are live at revision. */
    static long countLive(Connection c, KeySpan span, long revision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kv k WHERE " + liveAt(span))) {
            bindLiveAt(ps, span, revision);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The changes to span with after < id <= upTo, in revision order, at most limit of them. */
    static List<Row> history(Connection c, KeySpan span, long after, long upTo, int limit) throws SQLException {
        String sql = "SELECT " + Row.COLUMNS + " FROM kv k WHERE k.id > ? AND k.id <= ? AND " + span.condition("k.name")
                + " ORDER BY k.id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            ps.setInt(span.bind(ps, 3), limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Row.read(rs));
                }
            }
            return rows;
        }
    }

    private static String liveAt(KeySpan span) {
        return span.condition("k.name") + " AND k.id <= ? AND k.deleted = 0 AND " + NEWEST;
    }

    private static int bindLiveAt(PreparedStatement ps, KeySpan span, long revision) throws SQLException {
        int next = span.bind(ps, 1);
        ps.setLong(next++, revision);
        ps.setLong(next++, revision);
        return next;
    }
}
