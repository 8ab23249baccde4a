package io.capstan.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessagesTest {

    @TempDir
    Path dir;

    private static final List<String> LOG = List.of("starting", "boom");

    @Test
    void theFileWinsAndIsCutAt4096Bytes() throws IOException {
        Path file = Files.writeString(dir.resolve("log"), "x".repeat(5000));
        assertThat(TerminationMessages.message(file, "FallbackToLogsOnError", 1, () -> LOG)).hasSize(4096);
    }

    @Test
    void failedContainersWithAnEmptyFileFallBackToTheirLogWhenAskedTo() throws IOException {
        Path file = Files.createFile(dir.resolve("log"));
        assertThat(TerminationMessages.message(file, "FallbackToLogsOnError", 1, () -> LOG)).isEqualTo("starting\nboom\n");
        assertThat(TerminationMessages.message(file, "FallbackToLogsOnError", 0, () -> LOG)).isEmpty();
        assertThat(TerminationMessages.message(file, "File", 1, () -> LOG)).isEmpty();
        assertThat(TerminationMessages.message(null, null, 1, () -> LOG)).isEmpty();
    }

    @Test
    void theLogFallbackKeepsTheLast80LinesAndAtMost2048Bytes() {
        List<String> lines = IntStream.range(0, 100).mapToObj(i -> "line " + i).toList();
        String message = TerminationMessages.fromLog(lines);
        assertThat(message).startsWith("line 20\n").endsWith("line 99\n");
        List<String> long_ = IntStream.range(0, 80).mapToObj(i -> "y".repeat(99)).toList();
        assertThat(TerminationMessages.fromLog(long_)).hasSize(2048);
    }

    @Test
    void criLinesAreReducedToTheirTextWithPartialsJoined() {
        assertThat(TerminationMessages.criLogText(List.of(
                "2026-01-01T00:00:00.000000000Z stdout F hello world",
                "2026-01-01T00:00:01.000000000Z stderr P part one ",
                "2026-01-01T00:00:01.000000000Z stderr F and two",
                "2026-01-01T00:00:02.000000000Z stdout F ")))
                .containsExactly("hello world", "part one and two", "");
    }
}
