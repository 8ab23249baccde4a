package io.capstan.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.store.Store;
import io.capstan.store.StoreContractTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqliteStoreTest extends StoreContractTest {

    @Override
    protected Store newStore(Path dir) {
        return SqliteStore.open(dir.resolve("state.db"));
    }

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path file = dir.resolve("crash.db");
        Process writer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(line);
                if (acknowledged.size() == 300) {
                    writer.destroyForcibly(); // SIGKILL while it keeps writing
                    break;
                }
            }
        }
        writer.waitFor();
        try (Store reopened = SqliteStore.open(file)) {
            for (String key : acknowledged) {
                assertThat(reopened.get(key)).as(key).isPresent();
            }
        }
    }
}
