package io.capstan.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The store's tables, after kine: one row per change, the row id is the revision. A delete is a
 * tombstone row carrying the last value; old_value keeps each change's previous value for watches.
 */
final class Schema {

    private Schema() {}

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // AUTOINCREMENT: a revision is never handed out twice, even after compaction deleted the newest row.
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

    /** The single writer: IMMEDIATE transactions take the write lock up front, so a batch never fails half-way on a lock upgrade. */
    static Connection openWriter(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return open(file, config.toProperties());
    }

    static Connection openReader(Path file) throws SQLException {
        Connection c = open(file, new Properties());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only=ON");
        }
        return c;
    }

    /**
     * WAL with synchronous=NORMAL: a commit is in the WAL file before it returns, so it survives the
     * process being killed; only a power cut may lose the last commits. mmap spares reads a copy.
     */
    private static Connection open(Path file, Properties properties) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, properties);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA temp_store=MEMORY");
            s.execute("PRAGMA mmap_size=268435456");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Closes c, ignoring failure: called where nothing is left to save. */
    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
