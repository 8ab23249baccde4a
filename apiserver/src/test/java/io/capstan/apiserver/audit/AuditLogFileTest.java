package io.capstan.apiserver.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogFileTest {

    @TempDir
    Path dir;

    @Test
    void linesAreWrittenInOrderAndFlushedOnClose() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditLogFile log = new AuditLogFile(file, 0, 0, Clock.systemUTC());
        for (int i = 0; i < 1000; i++) {
            log.write(("{\"n\":" + i + "}").getBytes(UTF_8));
        }
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1000).startsWith("{\"n\":0}").endsWith("{\"n\":999}");
    }

    @Test
    void pastMaxSizeTheFileIsRotatedAndOnlyMaxBackupsAreKept() throws Exception {
        Path file = dir.resolve("audit.log");
        AtomicLong millis = new AtomicLong(1_700_000_000_000L);
        Clock ticking = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(millis.addAndGet(1000)); }
        };
        AuditLogFile log = new AuditLogFile(file, 100, 2, ticking);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String line = "{\"line\":\"" + "x".repeat(20) + String.format("%02d", i) + "\"}"; // 33 bytes with its newline
            written.add(line);
            log.write(line.getBytes(UTF_8));
        }
        log.close();

        List<Path> backups = log.backups();
        assertThat(backups).hasSize(2);
        assertThat(backups).allSatisfy(b -> assertThat(b.getFileName().toString()).matches("audit-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}\\.log"));
        for (Path f : List.of(backups.get(0), backups.get(1), file)) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(100);
        }
        List<String> kept = new ArrayList<>();
        kept.addAll(Files.readAllLines(backups.get(0)));
        kept.addAll(Files.readAllLines(backups.get(1)));
        kept.addAll(Files.readAllLines(file));
        assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
        assertThat(kept.getLast()).contains("39");
    }
}
