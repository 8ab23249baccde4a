package io.capstan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.runtime.image.Image;
import io.capstan.runtime.image.ImageConfig;
import io.capstan.runtime.testing.TestImages;
import io.capstan.runtime.testing.TestRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImageCommandTest {

    @TempDir
    Path data;
    @TempDir
    Path work;

    private record Run(int code, String out, String err) {}

    private Run capstan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void importListAndRemove() {
        Path layout = TestImages.busybox(work.resolve("layout"));
        Run imported = capstan("image", "import", "--data-dir", data.toString(), layout.toString());
        assertThat(imported.code()).isZero();
        assertThat(imported.out()).isEqualTo("Loaded image: docker.io/library/busybox:1\n");
        assertThat(data.resolve("agent/images/images")).as("the store the node agent runs containers from").isDirectory();

        Run ls = capstan("image", "ls", "--data-dir", data.toString());
        assertThat(ls.code()).isZero();
        List<String> lines = ls.out().lines().toList();
        assertThat(lines.get(0)).matches("IMAGE\\s{23}TAG\\s{17}IMAGE ID\\s{12}SIZE");
        assertThat(lines.get(1)).matches("docker.io/library/busybox\\s{3}1\\s{19}[0-9a-f]{13}\\s{7}[0-9.]+MB");

        Run rm = capstan("image", "rm", "--data-dir", data.toString(), "busybox:1");
        assertThat(rm.code()).isZero();
        assertThat(rm.out()).isEqualTo("Deleted: busybox:1\n");
        assertThat(capstan("image", "ls", "--data-dir", data.toString()).out().lines()).hasSize(1);
    }

    @Test
    void pullFromALoopbackRegistry() {
        try (TestRegistry registry = TestRegistry.start()) {
            String ref = registry.push(TestImages.busybox(work.resolve("layout")), "busybox:1");
            Run pull = capstan("image", "pull", "--data-dir", data.toString(), ref);
            assertThat(pull.code()).as(pull.err()).isZero();
            assertThat(pull.out()).matches("(?s)pulled sha256:[0-9a-f]{64} \\([0-9.]+MB\\)\nImage is up to date for sha256:[0-9a-f]{64}\n");
            assertThat(capstan("image", "ls", "--data-dir", data.toString()).out()).contains(registry.host() + "/busybox");
            Run missing = capstan("image", "pull", "--data-dir", data.toString(), registry.host() + "/busybox:2");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err()).startsWith("error: image \"" + registry.host() + "/busybox:2\" not found");
        }
    }

    @Test
    void removingAnUnknownImageSaysSo() {
        Run rm = capstan("image", "rm", "--data-dir", data.toString(), "nothing:1");
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.err()).isEqualTo("error: image \"nothing:1\" not found\n");
    }

    @Test
    void tableShowsUntaggedImagesAsNone() {
        Image dangling = new Image("sha256:" + "ab".repeat(32), List.of(), List.of(), new ImageConfig(null, null, null, "", "", null, ""), 742_000);
        assertThat(ImageTable.render(List.of(dangling)).lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("<none>              <none>              ababababababa       742kB");
    }

    @Test
    void sizesAreDecimalWithThreeDigitsAsCrictlPrintsThem() {
        assertThat(ImageTable.humanSize(1_089_472)).isEqualTo("1.09MB");
        assertThat(ImageTable.humanSize(512)).isEqualTo("512B");
        assertThat(ImageTable.humanSize(2_000_000_000L)).isEqualTo("2GB");
    }
}
