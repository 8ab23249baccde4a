package io.capstan.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which images pods may run (docs/image-policy.md): registries or repository prefixes they must come from and
 * whether they must be pinned by digest, with per-namespace rules and namespaces left alone.
 */
public record ImagePolicy(Rule defaults, Map<String, Rule> namespaces, Set<String> exemptNamespaces) {

    static final String KIND = "ImagePolicy";

    /**
     * One rule.
     *
     * @param allowed normalized prefixes of registry/repository an image must match at a path boundary; empty: any
     * @param requireDigest whether an image must carry @sha256:...
     */
    public record Rule(List<String> allowed, boolean requireDigest) {

        /** Whether the image's registry/repository is one of the allowed ones. */
        boolean allows(ImageReference image) {
            if (allowed.isEmpty()) {
                return true;
            }
            String name = image.name();
            return allowed.stream().anyMatch(p -> name.equals(p) || name.startsWith(p + "/"));
        }
    }

    /** The rule for pods in namespace, or empty when the namespace is exempt. */
    public Optional<Rule> ruleFor(String namespace) {
        if (exemptNamespaces.contains(namespace)) {
            return Optional.empty();
        }
        return Optional.of(namespaces.getOrDefault(namespace, defaults));
    }

    /** @throws IllegalArgumentException when the file is not a valid policy */
    public static ImagePolicy read(Path file) throws IOException {
        JsonNode doc = Json.YAML.readTree(Files.readAllBytes(file));
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException(file + ": not an ImagePolicy");
        }
        return parse(doc);
    }

    static ImagePolicy parse(JsonNode doc) {
        if (!KIND.equals(doc.path("kind").asText(KIND))) {
            throw new IllegalArgumentException("expected kind ImagePolicy, got " + doc.path("kind").asText());
        }
        Rule defaults = rule(doc, new Rule(List.of(), false), "");
        Map<String, Rule> namespaces = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : doc.path("namespaces").properties()) {
            namespaces.put(e.getKey(), rule(e.getValue(), defaults, "namespaces." + e.getKey() + "."));
        }
        List<String> exempt = new ArrayList<>();
        doc.path("exemptNamespaces").forEach(n -> exempt.add(n.asText()));
        return new ImagePolicy(defaults, Map.copyOf(namespaces), Set.copyOf(exempt));
    }

    /** A rule; fields it leaves out are inherited. */
    private static Rule rule(JsonNode node, Rule inherited, String where) {
        List<String> allowed = inherited.allowed();
        JsonNode list = node.get("allowedRegistries");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + "allowedRegistries: must be a list");
            }
            List<String> prefixes = new ArrayList<>();
            for (JsonNode entry : list) {
                prefixes.add(normalize(entry.asText(), where));
            }
            allowed = List.copyOf(prefixes);
        }
        JsonNode digest = node.get("requireDigest");
        boolean requireDigest = inherited.requireDigest();
        if (digest != null && !digest.isNull()) {
            if (!digest.isBoolean()) {
                throw new IllegalArgumentException(where + "requireDigest: must be true or false");
            }
            requireDigest = digest.booleanValue();
        }
        return new Rule(allowed, requireDigest);
    }

    /** "index.docker.io/x/" → "docker.io/x": prefixes are compared with normalized names. */
    private static String normalize(String entry, String where) {
        String p = entry.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException(where + "allowedRegistries: an entry is empty");
        }
        if (p.equals("index.docker.io") || p.startsWith("index.docker.io/")) {
            p = "docker.io" + p.substring("index.docker.io".length());
        }
        return p;
    }
}
