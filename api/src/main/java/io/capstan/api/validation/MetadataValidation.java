package io.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import io.capstan.api.LabelRules;
import io.capstan.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** ObjectMeta rules: names, generateName, labels and annotations (apimachinery's ValidateObjectMeta). */
final class MetadataValidation {

    private static final int ANNOTATIONS_MAX = 256 * 1024;

    private MetadataValidation() {}

    static void validate(ResourceType type, JsonNode meta, List<FieldError> errors) {
        String name = meta.path("name").asText("");
        String generateName = meta.path("generateName").asText("");
        if (!generateName.isEmpty() && type.modelClass() != null) {
            // As a prefix, a trailing dash is fine: the random suffix follows it.
            String masked = generateName.endsWith("-") ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            nameErrors(type, masked).forEach(m -> errors.add(FieldError.invalid("metadata.generateName", FieldError.quote(generateName), m)));
        }
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else if (type.modelClass() != null) {
            nameErrors(type, name).forEach(m -> errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), m)));
        } else if (name.contains("/") || name.equals(".") || name.equals("..")) {
            errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), "may not contain '/'"));
        }
        labels(meta.path("labels"), errors);
        annotations(meta.path("annotations"), errors);
    }

    /** The name rule of each kind (its ValidateNameFunc): DNS-1035 labels for services, DNS-1123 labels for namespaces, else subdomains. */
    private static List<String> nameErrors(ResourceType type, String name) {
        return switch (type.qualifiedResource()) {
            case "services" -> LabelRules.dns1035LabelErrors(name);
            case "namespaces" -> LabelRules.dns1123LabelErrors(name);
            // RBAC names are path segments (ValidateRBACName), so "system:discovery" is a valid name.
            case "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io",
                 "clusterrolebindings.rbac.authorization.k8s.io" -> pathSegmentErrors(name);
            default -> LabelRules.dns1123SubdomainErrors(name);
        };
    }

    /** Kubernetes' path.IsValidPathSegmentName. */
    private static List<String> pathSegmentErrors(String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of("may not be '" + name + "'");
        }
        List<String> errors = new java.util.ArrayList<>();
        if (name.contains("/")) {
            errors.add("may not contain '/'");
        }
        if (name.contains("%")) {
            errors.add("may not contain '%'");
        }
        return errors;
    }

    private static void labels(JsonNode labels, List<FieldError> errors) {
        if (!labels.isObject()) {
            return;
        }
        labels.properties().forEach(e -> {
            LabelRules.qualifiedNameErrors(e.getKey())
                    .forEach(m -> errors.add(FieldError.invalid("metadata.labels", FieldError.quote(e.getKey()), m)));
            if (!e.getValue().isTextual()) {
                errors.add(FieldError.invalid("metadata.labels", GoValues.render(e.getValue()), LabelRules.LABEL_VALUE_MESSAGE));
            } else {
                LabelRules.labelValueErrors(e.getValue().asText())
                        .forEach(m -> errors.add(FieldError.invalid("metadata.labels", GoValues.render(e.getValue()), m)));
            }
        });
    }

    private static void annotations(JsonNode annotations, List<FieldError> errors) {
        if (!annotations.isObject()) {
            return;
        }
        long size = 0;
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) annotations::fields) {
            String key = e.getKey();
            LabelRules.qualifiedNameErrors(key.toLowerCase(java.util.Locale.ROOT))
                    .forEach(m -> errors.add(FieldError.invalid("metadata.annotations", FieldError.quote(key), m)));
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > ANNOTATIONS_MAX) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
                    "may not be more than " + ANNOTATIONS_MAX + " bytes"));
        }
    }
}
