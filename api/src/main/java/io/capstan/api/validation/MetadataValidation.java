package io.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import io.capstan.api.LabelRules;
import io.capstan.api.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** ObjectMeta rules: names, generateName, labels and annotations (apimachinery's ValidateObjectMeta). */
final class MetadataValidation {

    /** Kinds whose names must be DNS-1123 labels rather than subdomains. */
    private static final Set<String> LABEL_NAMED = Set.of("namespaces", "services");
    private static final int ANNOTATIONS_MAX = 256 * 1024;

    private MetadataValidation() {}

    static void validate(ResourceType type, JsonNode meta, List<FieldError> errors) {
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            errors.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else if (type.modelClass() != null) {
            if (LABEL_NAMED.contains(type.qualifiedResource())) {
                if (!LabelRules.isDns1123Label(name)) {
                    errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), LabelRules.DNS1123_LABEL_MESSAGE));
                }
            } else if (!LabelRules.isDns1123Subdomain(name)) {
                errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), LabelRules.DNS1123_SUBDOMAIN_MESSAGE));
            }
        } else if (name.contains("/") || name.equals(".") || name.equals("..")) {
            errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), "may not contain '/'"));
        }
        labels(meta.path("labels"), errors);
        annotations(meta.path("annotations"), errors);
    }

    private static void labels(JsonNode labels, List<FieldError> errors) {
        if (!labels.isObject()) {
            return;
        }
        labels.properties().forEach(e -> {
            if (!LabelRules.isQualifiedName(e.getKey())) {
                errors.add(FieldError.invalid("metadata.labels", FieldError.quote(e.getKey()), LabelRules.QUALIFIED_NAME_MESSAGE));
            }
            if (!e.getValue().isTextual() || !LabelRules.isLabelValue(e.getValue().asText())) {
                errors.add(FieldError.invalid("metadata.labels", GoValues.render(e.getValue()), LabelRules.LABEL_VALUE_MESSAGE));
            }
        });
    }

    private static void annotations(JsonNode annotations, List<FieldError> errors) {
        if (!annotations.isObject()) {
            return;
        }
        long size = 0;
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) annotations::fields) {
            if (!LabelRules.isQualifiedName(e.getKey().toLowerCase())) {
                errors.add(FieldError.invalid("metadata.annotations", FieldError.quote(e.getKey()), LabelRules.QUALIFIED_NAME_MESSAGE));
            }
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > ANNOTATIONS_MAX) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, "metadata.annotations", null,
                    "may not be more than " + ANNOTATIONS_MAX + " bytes"));
        }
    }
}
