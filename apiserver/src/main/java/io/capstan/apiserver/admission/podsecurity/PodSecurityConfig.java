package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The PodSecurity plugin's configuration (pod-security.admission.config.k8s.io/v1 PodSecurityConfiguration): the
 * policy of namespaces without labels, and the users, namespaces and runtime classes it leaves alone.
 */
public record PodSecurityConfig(Policy defaults, Set<String> exemptUsernames, Set<String> exemptNamespaces,
                                Set<String> exemptRuntimeClasses) {

    /** Kubernetes without an AdmissionConfiguration: privileged:latest everywhere, nothing exempt. */
    public static final PodSecurityConfig DEFAULT = new PodSecurityConfig(Policy.PRIVILEGED, Set.of(), Set.of(), Set.of());

    /**
     * Reads YAML or JSON: either a PodSecurityConfiguration, or an apiserver.config.k8s.io AdmissionConfiguration whose
     * plugins entry named PodSecurity carries one.
     *
     * @throws IllegalArgumentException when the file is not a valid configuration
     */
    public static PodSecurityConfig read(Path file) throws IOException {
        JsonNode doc = Json.YAML.readTree(Files.readAllBytes(file));
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException(file + ": not a PodSecurityConfiguration");
        }
        if ("AdmissionConfiguration".equals(doc.path("kind").asText())) {
            JsonNode found = null;
            for (JsonNode plugin : doc.path("plugins")) {
                if ("PodSecurity".equals(plugin.path("name").asText())) {
                    found = plugin.path("configuration");
                }
            }
            if (found == null || !found.isObject()) {
                throw new IllegalArgumentException(file + ": the AdmissionConfiguration has no PodSecurity plugin configuration");
            }
            doc = found;
        }
        return parse(doc);
    }

    static PodSecurityConfig parse(JsonNode doc) {
        if (!"PodSecurityConfiguration".equals(doc.path("kind").asText())) {
            throw new IllegalArgumentException("expected kind PodSecurityConfiguration, got " + doc.path("kind").asText("nothing"));
        }
        JsonNode d = doc.path("defaults");
        List<String> errors = new ArrayList<>();
        Policy defaults = new Policy(
                levelVersion(d, "enforce", errors), levelVersion(d, "audit", errors), levelVersion(d, "warn", errors));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid PodSecurityConfiguration: " + String.join(", ", errors));
        }
        JsonNode e = doc.path("exemptions");
        return new PodSecurityConfig(defaults, strings(e.path("usernames")), strings(e.path("namespaces")),
                strings(e.path("runtimeClasses")));
    }

    private static LevelVersion levelVersion(JsonNode defaults, String mode, List<String> errors) {
        String level = defaults.path(mode).asText("privileged");
        String version = defaults.path(mode + "-version").asText("latest");
        Level l = Level.parse(level).orElse(null);
        Version v = Version.parse(version).orElse(null);
        if (l == null) {
            errors.add("defaults." + mode + ": Invalid value: " + io.capstan.api.FieldError.quote(level) + ": " + Level.VALID);
        }
        if (v == null) {
            errors.add("defaults." + mode + "-version: Invalid value: " + io.capstan.api.FieldError.quote(version) + ": " + Version.VALID);
        }
        return l == null || v == null ? LevelVersion.PRIVILEGED_LATEST : new LevelVersion(l, v);
    }

    private static Set<String> strings(JsonNode list) {
        Set<String> out = new java.util.LinkedHashSet<>();
        list.forEach(n -> out.add(n.asText()));
        return Set.copyOf(out);
    }
}
