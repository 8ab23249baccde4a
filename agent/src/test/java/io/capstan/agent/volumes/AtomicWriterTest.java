package io.capstan.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private static FileProjection text(String s, int mode) {
        return FileProjection.of(s, mode);
    }

    private String[] entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void filesAreVisibleThroughSymlinksIntoTheDataLink() throws IOException {
        AtomicWriter writer = new AtomicWriter(dir);
        assertThat(writer.write(Map.of("game.properties", text("lives=3", 0644), "conf/ui/color", text("blue", 0400)))).isTrue();

        assertThat(Files.readString(dir.resolve("game.properties"))).isEqualTo("lives=3");
        assertThat(Files.readString(dir.resolve("conf/ui/color"))).isEqualTo("blue");
        assertThat(Files.readSymbolicLink(dir.resolve("game.properties"))).isEqualTo(Path.of("..data/game.properties"));
        assertThat(Files.readSymbolicLink(dir.resolve("conf"))).isEqualTo(Path.of("..data/conf"));
        Path ts = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(ts.toString()).matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d+");
        assertThat(AtomicWriter.mode(dir.resolve(ts).resolve("game.properties"))).isEqualTo(0644);
        assertThat(AtomicWriter.mode(dir.resolve(ts).resolve("conf/ui/color"))).isEqualTo(0400);
        assertThat(AtomicWriter.mode(dir.resolve(ts).resolve("conf/ui"))).isEqualTo(0755);
    }

    @Test
    void unchangedPayloadIsNotRewritten() throws IOException {
        AtomicWriter writer = new AtomicWriter(dir);
        writer.write(Map.of("a", text("1", 0644)));
        Path ts = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(writer.write(Map.of("a", text("1", 0644)))).isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(ts);
    }

    @Test
    void changedContentOrModeSwapsToANewDirectoryAndRemovesTheOld() throws IOException {
        AtomicWriter writer = new AtomicWriter(dir);
        writer.write(Map.of("a", text("1", 0644)));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(writer.write(Map.of("a", text("2", 0644)))).isTrue();
        Path second = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.exists(dir.resolve(first))).isFalse();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        assertThat(writer.write(Map.of("a", text("2", 0600)))).isTrue();
        assertThat(AtomicWriter.mode(dir.resolve("a").toRealPath())).isEqualTo(0600);
        assertThat(entries()).hasSize(3);
    }

    @Test
    void removedKeysDisappearAndNoTemporaryLinkIsLeft() throws IOException {
        AtomicWriter writer = new AtomicWriter(dir);
        writer.write(Map.of("a", text("1", 0644), "b", text("2", 0644), "d/x", text("3", 0644)));
        writer.write(Map.of("a", text("1", 0644), "d/y", text("4", 0644)));
        String ts = Files.readSymbolicLink(dir.resolve("..data")).toString();
        assertThat(entries()).containsExactly(ts, "..data", "a", "d");
        assertThat(Files.exists(dir.resolve("d/x"))).isFalse();
        assertThat(Files.readString(dir.resolve("d/y"))).isEqualTo("4");
    }

    @Test
    void anEmptyPayloadLeavesAnEmptyDataDirectory() throws IOException {
        AtomicWriter writer = new AtomicWriter(dir);
        writer.write(Map.of("a", text("1", 0644)));
        assertThat(writer.write(Map.of())).isTrue();
        assertThat(entries()).hasSize(2).contains("..data");
    }

    @Test
    void refusesPathsAsTheKubeletDoes() {
        assertThatThrownBy(() -> AtomicWriter.validatePath("")).hasMessage("invalid path: must not be empty: \"\"");
        assertThatThrownBy(() -> AtomicWriter.validatePath("/etc/passwd")).hasMessage("invalid path: must be relative path: /etc/passwd");
        assertThatThrownBy(() -> AtomicWriter.validatePath("a/../../x")).hasMessage("invalid path: must not contain '..': a/../../x");
        assertThatThrownBy(() -> AtomicWriter.validatePath("..data/x")).hasMessage("invalid path: must not start with '..': ..data/x");
        assertThatThrownBy(() -> AtomicWriter.validatePath("x".repeat(256)))
                .hasMessage("invalid path: filenames must be less than or equal to 255 characters");
        AtomicWriter.validatePath("a..b");
        AtomicWriter.validatePath("a/..b");
        assertThatThrownBy(() -> new AtomicWriter(dir).write(Map.of("../x", text("", 0644)))).isInstanceOf(IllegalArgumentException.class);
    }
}
