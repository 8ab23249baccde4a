package io.capstan.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store's tables, after kine: one row per change, the row id is the revision. A delete is a
 * tombstone row carrying the last value; old_value keeps each change's previous value for watches.
 */
final class Schema {

    private Schema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("""
                    CREATE TABLE IF NOT EXISTS kv (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      name TEXT NOT NULL,
                      created INTEGER NOT NULL,
                      deleted INTEGER NOT NULL,
                      create_revision INTEGER NOT NULL,
                      prev_revision INTEGER NOT NULL,
                      value BLOB,
                      old_value BLOB)""");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS kv_name_id ON kv (name, id)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        }
    }

    /** WAL with synchronous=NORMAL: a committed write survives the process being killed (not a power cut mid-checkpoint). */
    static void tune(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA temp_store=MEMORY");
        }
    }
}
