package io.capstan.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs CNI plugin binaries as the CNI specification says: the command, container id, netns, interface
 * and arguments in the environment, the network configuration on stdin, a result or an error on stdout.
 */
public final class CniPlugins {

    /** Where Debian's containernetworking-plugins and most distributions put the plugins. */
    public static final List<Path> SEARCH_PATH = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"), Path.of("/usr/libexec/cni"));

    private final Path dir;

    CniPlugins(Path dir) {
        this.dir = dir;
    }

    /** The first directory holding the bridge plugin, if any. */
    public static Optional<CniPlugins> find() {
        return SEARCH_PATH.stream().filter(d -> Files.isExecutable(d.resolve("bridge"))).findFirst().map(CniPlugins::new);
    }

    /** Invokes one plugin; a non-zero exit becomes a {@link CniException} with the plugin's own error message. */
    JsonNode invoke(String type, String command, String containerId, String netns, String ifName, Map<String, String> args,
                    ObjectNode config) {
        ProcessBuilder pb = new ProcessBuilder(dir.resolve(type).toString());
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", dir.toString());
        env.put("CNI_ARGS", String.join(";", args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(Json.bytes(config));
            }
            byte[] out;
            try (InputStream stdout = p.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CniException(type + " " + command + " timed out");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                String message = text;
                try {
                    JsonNode error = Json.MAPPER.readTree(text);
                    message = error.path("msg").asText(text) + (error.hasNonNull("details") ? ": " + error.path("details").asText() : "");
                } catch (IOException ignored) {
                    // not JSON: keep the raw text
                }
                throw new CniException("plugin type=\"" + type + "\" failed (" + command.toLowerCase(java.util.Locale.ROOT) + "): " + message);
            }
            return text.isEmpty() ? Json.object() : Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new CniException("could not run CNI plugin " + type + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException("interrupted while running CNI plugin " + type);
        }
    }
}
