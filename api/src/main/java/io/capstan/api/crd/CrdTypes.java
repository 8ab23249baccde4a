package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.CustomKind;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns a CustomResourceDefinition (apiextensions.k8s.io/v1) into the kinds it serves, one per served version. */
public final class CrdTypes {

    private CrdTypes() {}

    /** The served versions of the definition's kind, most preferred version first. */
    public static List<ResourceType> of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asText("");
        String kind = names.path("kind").asText("");
        String plural = names.path("plural").asText("");
        if (group.isEmpty() || kind.isEmpty() || plural.isEmpty()) {
            return List.of();
        }
        String singular = names.path("singular").asText("");
        if (singular.isEmpty()) {
            singular = kind.toLowerCase(Locale.ROOT);
        }
        String listKind = names.path("listKind").asText("");
        if (listKind.isEmpty()) {
            listKind = kind + "List";
        }
        boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
        List<String> shortNames = strings(names.path("shortNames"));
        List<String> categories = strings(names.path("categories"));
        String crdName = Json.text(crd, "metadata", "name");
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode v : spec.path("versions")) {
            if (!v.path("served").asBoolean(false)) {
                continue;
            }
            Set<String> subresources = new LinkedHashSet<>();
            JsonNode subs = v.path("subresources");
            if (subs.has("status")) {
                subresources.add("status");
            }
            CustomKind.ScalePaths scale = null;
            if (subs.path("scale").isObject()) {
                JsonNode s = subs.get("scale");
                subresources.add("scale");
                scale = new CustomKind.ScalePaths(s.path("specReplicasPath").asText(".spec.replicas"),
                        s.path("statusReplicasPath").asText(".status.replicas"),
                        s.hasNonNull("labelSelectorPath") ? s.get("labelSelectorPath").asText() : null);
            }
            JsonNode schema = Json.at(v, "schema", "openAPIV3Schema");
            JsonNode columns = v.path("additionalPrinterColumns").isArray() ? v.get("additionalPrinterColumns") : Json.array();
            types.add(new ResourceType(group, v.path("name").asText(), kind, plural, singular, namespaced, shortNames, categories,
                    Set.copyOf(subresources), null, new CustomKind(crdName, listKind, schema, scale, columns)));
        }
        types.sort((a, b) -> VersionPriority.ORDER.compare(a.version(), b.version()));
        return types;
    }

    /** Fills what Kubernetes defaults in a definition: singular and list kind names, the conversion strategy. */
    public static void applyDefaults(ObjectNode crd) {
        if (!(crd.get("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (spec.get("names") instanceof ObjectNode names && names.hasNonNull("kind")) {
            String kind = names.get("kind").asText();
            if (names.path("singular").asText("").isEmpty()) {
                names.put("singular", kind.toLowerCase(Locale.ROOT));
            }
            if (names.path("listKind").asText("").isEmpty()) {
                names.put("listKind", kind + "List");
            }
        }
        if (!spec.has("conversion")) {
            spec.putObject("conversion").put("strategy", "None");
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
