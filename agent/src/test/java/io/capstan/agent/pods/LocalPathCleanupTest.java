package io.capstan.agent.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathCleanupTest {

    @TempDir
    Path dir;

    private static ObjectNode volume(Path path, String provisioner, String node) {
        ObjectNode pv = Json.object();
        pv.putObject("metadata").put("name", "pvc-1").putObject("annotations").put("pv.kubernetes.io/provisioned-by", provisioner);
        ObjectNode spec = pv.putObject("spec");
        spec.putObject("hostPath").put("path", path.toString());
        spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms").addObject().putArray("matchExpressions")
                .addObject().put("key", "kubernetes.io/hostname").put("operator", "In").putArray("values").add(node);
        return pv;
    }

    @Test
    void aDeletedLocalPathVolumeOfThisNodeTakesItsDirectory() throws Exception {
        Path data = Files.createDirectories(dir.resolve("pvc-1_default_data"));
        Files.writeString(data.resolve("file"), "kept");
        LocalPathCleanup.deleted(volume(data, "capstan.io/local-path", "n1"), "n1");
        assertThat(data).doesNotExist();
    }

    @Test
    void anotherNodesOrAnotherProvisionersDirectoryStays() throws Exception {
        Path data = Files.createDirectories(dir.resolve("pvc-2_default_data"));
        LocalPathCleanup.deleted(volume(data, "capstan.io/local-path", "n2"), "n1");
        LocalPathCleanup.deleted(volume(data, "example.com/other", "n1"), "n1");
        Path mine = Files.createDirectories(dir.resolve("my-data"));
        LocalPathCleanup.deleted(volume(mine, "capstan.io/local-path", "n1"), "n1");
        assertThat(data).exists();
        assertThat(mine).exists();
    }
}
