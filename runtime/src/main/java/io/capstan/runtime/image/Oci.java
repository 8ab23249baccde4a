package io.capstan.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The OCI and Docker schema-2 documents an image is made of: indexes, manifests, configs, and their media types. */
final class Oci {

    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String CONTAINERD_NAME = "io.containerd.image.name";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private Oci() {}

    record Platform(String os, String architecture, String variant) {}

    record Descriptor(String mediaType, String digest, long size, Platform platform, Map<String, String> annotations) {
        String annotation(String key) {
            return annotations.get(key);
        }
    }

    record Manifest(Descriptor config, List<Descriptor> layers) {}

    record Config(ImageConfig config, List<String> diffIds, String os, String architecture) {}

    static boolean isIndex(String mediaType, JsonNode doc) {
        return INDEXES.contains(mediaType) || (mediaType == null && doc.has("manifests"));
    }

    static JsonNode parse(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageException(ImageException.Kind.INVALID, what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The media type a document says it has, falling back to the one it was served as. */
    static String mediaType(JsonNode doc, String served) {
        String declared = doc.path("mediaType").asText(null);
        if (declared != null) {
            return declared;
        }
        if (doc.path("schemaVersion").asInt() == 1) {
            throw new ImageException(ImageException.Kind.INVALID, "image manifest schema 1 is not supported; push the image again with a current client");
        }
        return served != null && (INDEXES.contains(served) || MANIFESTS.contains(served)) ? served
                : doc.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
    }

    static List<Descriptor> indexManifests(JsonNode index) {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            out.add(descriptor(m));
        }
        return out;
    }

    static Manifest manifest(JsonNode doc, String what) {
        if (!doc.has("config") || !doc.path("layers").isArray()) {
            throw new ImageException(ImageException.Kind.INVALID, what + " is not an image manifest");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode l : doc.path("layers")) {
            layers.add(descriptor(l));
        }
        return new Manifest(descriptor(doc.path("config")), layers);
    }

    static Config config(byte[] bytes, String what) {
        JsonNode doc = parse(bytes, what);
        JsonNode c = doc.path("config");
        List<String> diffIds = new ArrayList<>();
        for (JsonNode d : doc.path("rootfs").path("diff_ids")) {
            diffIds.add(Digests.check(d.asText()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        ImageConfig config = new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), labels, c.path("StopSignal").asText(""));
        return new Config(config, diffIds, doc.path("os").asText(""), doc.path("architecture").asText(""));
    }

    /** The linux/amd64 entry of an index, preferring one without a variant (or v1) over amd64 v2/v3 builds. */
    static Optional<Descriptor> selectPlatform(List<Descriptor> manifests) {
        Descriptor fallback = null;
        for (Descriptor d : manifests) {
            Platform p = d.platform();
            if (p == null || !"linux".equals(p.os()) || !"amd64".equals(p.architecture())) {
                continue;
            }
            if (p.variant() == null || p.variant().isEmpty() || p.variant().equals("v1")) {
                return Optional.of(d);
            }
            if (fallback == null) {
                fallback = d;
            }
        }
        return Optional.ofNullable(fallback);
    }

    private static Descriptor descriptor(JsonNode d) {
        Map<String, String> annotations = new LinkedHashMap<>();
        d.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        Platform platform = null;
        if (d.has("platform")) {
            JsonNode p = d.path("platform");
            platform = new Platform(p.path("os").asText(null), p.path("architecture").asText(null), p.path("variant").asText(null));
        }
        return new Descriptor(d.path("mediaType").asText(null), Digests.check(d.path("digest").asText(null)), d.path("size").asLong(),
                platform, annotations);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) {
            out.add(s.asText());
        }
        return out;
    }
}
