package io.capstan.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogWriterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2016-10-06T00:17:09.669794202Z"), ZoneOffset.UTC);

    @Test
    void wholeLinesAreFullAndATrailingPieceIsPartial() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (CriLogWriter out = new CriLogWriter(file, "stdout", clock)) {
            out.write("hello\nwor".getBytes(StandardCharsets.UTF_8));
            out.write("ld\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(file.toString(StandardCharsets.UTF_8)).isEqualTo("""
                2016-10-06T00:17:09.669794202Z stdout F hello
                2016-10-06T00:17:09.669794202Z stdout P wor
                2016-10-06T00:17:09.669794202Z stdout F ld
                """);
    }

    @Test
    void longLinesAreSplitIntoPartialPieces() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        new CriLogWriter(file, "stderr", clock).write(("x".repeat(CriLogWriter.MAX_LINE + 5) + "\n").getBytes(StandardCharsets.UTF_8));
        String[] lines = file.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("2016-10-06T00:17:09.669794202Z stderr P xxx").hasSize(31 + 9 + CriLogWriter.MAX_LINE);
        assertThat(lines[1]).isEqualTo("2016-10-06T00:17:09.669794202Z stderr F xxxxx");
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("c.log");
        try (var file = Files.newOutputStream(log)) {
            CriLogWriter stdout = new CriLogWriter(file, "stdout", clock);
            CriLogWriter stderr = new CriLogWriter(file, "stderr", clock);
            stdout.write("a bit ".getBytes(StandardCharsets.UTF_8));
            stderr.write("error\n".getBytes(StandardCharsets.UTF_8));
            stdout.write("more\n".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(log, LogOptions.ALL, () -> false).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("error\na bit more\n");
    }
}
