package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's half of the local-path provisioner: once a volume it provisioned on this node is deleted
 * (reclaim policy Delete), its directory goes too, as Rancher's local-path helper pod does.
 */
final class LocalPathCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPathCleanup.class);
    static final String PROVISIONER = "capstan.io/local-path";

    private LocalPathCleanup() {}

    static void deleted(JsonNode volume, String nodeName) {
        if (!PROVISIONER.equals(volume.path("metadata").path("annotations").path("pv.kubernetes.io/provisioned-by").asText())
                || !onNode(volume, nodeName)) {
            return;
        }
        String path = volume.path("spec").path("hostPath").path("path").asText("");
        Path dir = Path.of(path.isEmpty() ? "/nonexistent" : path);
        // Only what the provisioner names pvc-…: never a directory a user pointed a volume at.
        if (dir.getFileName() == null || !dir.getFileName().toString().startsWith("pvc-") || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            LOG.info("deleted {} of volume {}", dir, volume.path("metadata").path("name").asText());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static boolean onNode(JsonNode volume, String nodeName) {
        for (JsonNode term : volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms")) {
            for (JsonNode expr : term.path("matchExpressions")) {
                if (expr.path("key").asText().equals("kubernetes.io/hostname")) {
                    for (JsonNode value : expr.path("values")) {
                        if (value.asText().equals(nodeName)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
