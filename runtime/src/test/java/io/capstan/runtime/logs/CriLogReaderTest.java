package io.capstan.runtime.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogReaderTest {

    @TempDir
    Path dir;

    private static final String LOG = """
            2016-10-06T00:17:09.669794202Z stdout F first
            2016-10-06T00:17:10.000000000Z stderr F oops
            2016-10-06T00:17:11.5Z stdout P sec
            2016-10-06T00:17:11.6Z stdout P on
            2016-10-06T00:17:11.7Z stdout F d
            2016-10-06T02:17:12.000000000+02:00 stdout F third
            """;

    private String read(LogOptions options) throws Exception {
        Path file = write(LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, options, () -> false).copyTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("0.log");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsBothStreamsAndJoinsPartialLines() throws Exception {
        assertThat(read(LogOptions.ALL)).isEqualTo("first\noops\nsecond\nthird\n");
    }

    @Test
    void tailKeepsTheLastMessages() throws Exception {
        assertThat(read(new LogOptions(false, 2, null, false, -1))).isEqualTo("second\nthird\n");
        assertThat(read(new LogOptions(false, 0, null, false, -1))).isEmpty();
    }

    @Test
    void timestampsAreNineDigitUtcAndAPartialMessageKeepsItsFirstTime() throws Exception {
        assertThat(read(new LogOptions(false, -1, null, true, -1))).isEqualTo("""
                2016-10-06T00:17:09.669794202Z first
                2016-10-06T00:17:10.000000000Z oops
                2016-10-06T00:17:11.500000000Z second
                2016-10-06T00:17:12.000000000Z third
                """);
    }

    @Test
    void sinceDropsOlderMessages() throws Exception {
        assertThat(read(new LogOptions(false, -1, Instant.parse("2016-10-06T00:17:10Z"), false, -1)))
                .isEqualTo("oops\nsecond\nthird\n");
    }

    @Test
    void limitBytesCutsTheOutput() throws Exception {
        assertThat(read(new LogOptions(false, -1, null, false, 8))).isEqualTo("first\noo");
    }

    @Test
    void malformedLinesAreSkipped() throws Exception {
        Path file = write("garbage\n2016-10-06T00:17:09Z stdout F ok\nnot-a-time stdout F x\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, LogOptions.ALL, () -> false).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("ok\n");
    }

    @Test
    void aMissingFileReadsAsEmpty() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(dir.resolve("none.log"), LogOptions.ALL, () -> false).copyTo(out);
        assertThat(out.size()).isZero();
    }

    @Test
    void followSeesAppendedLinesAcrossRotationAndStopsWhenTheContainerEnds() throws Exception {
        Path file = write("2016-10-06T00:17:09Z stdout F one\n");
        AtomicBoolean running = new AtomicBoolean(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                new CriLogReader(file, new LogOptions(true, -1, null, false, -1), running::get, Duration.ofMillis(10)).copyTo(out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString(StandardCharsets.UTF_8).equals("one\n"));
        append(file, "2016-10-06T00:17:10Z stdout P t"); // a line half written: nothing yet
        append(file, "w\n");
        append(file, "2016-10-06T00:17:10Z stdout F o\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> out.toString(StandardCharsets.UTF_8).equals("one\ntwo\n"));

        // Rotation as conmon does it: the file is renamed to .1, a late line reaches the old file, a new file begins.
        Files.move(file, dir.resolve("0.log.1"));
        append(dir.resolve("0.log.1"), "2016-10-06T00:17:11Z stdout F three\n");
        append(file, "2016-10-06T00:17:12Z stdout F four\n");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\nfour\n"));
        assertThat(done).isNotDone();

        append(file, "2016-10-06T00:17:13Z stdout F last words\n");
        running.set(false);
        done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\nfour\nlast words\n");
    }

    @Test
    void followWithTailStartsFromTheLastLines() throws Exception {
        Path file = write(LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, new LogOptions(true, 1, null, false, -1), () -> false, Duration.ofMillis(10)).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("third\n");
    }

    @Test
    void followStopsAtTheByteLimitWhileTheContainerRuns() throws Exception {
        Path file = write(LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(file, new LogOptions(true, -1, null, false, 3), () -> true, Duration.ofMillis(10)).copyTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("fir");
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
