package io.capstan.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.store.Store;
import io.capstan.store.StoreContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class SqliteStoreTest extends StoreContractTest {

    @Override
    protected Store newStore(Path dir) {
        return SqliteStore.open(dir.resolve("state.db"));
    }

    @Test
    void compactionLeavesOneRowPerLiveKey() throws SQLException {
        for (int i = 0; i < 50; i++) {
            store.create("/rows/" + i, "v".getBytes(UTF_8));
            store.update("/rows/" + i, "w".getBytes(UTF_8), 0);
            if (i % 2 == 0) {
                store.delete("/rows/" + i, 0);
            }
        }
        store.compact(store.currentRevision());
        assertThat(query("SELECT COUNT(*) FROM kv")).isEqualTo("25");
        assertThat(query("SELECT COUNT(*) FROM kv WHERE deleted = 1")).isEqualTo("0");
    }

    @Test
    void theFileIsAWriteAheadLog() throws SQLException {
        assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
    }

    private String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
