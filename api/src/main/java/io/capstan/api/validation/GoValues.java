package io.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Renders bad values the way Go's %#v does in Kubernetes' messages. */
final class GoValues {

    private GoValues() {}

    static String render(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return FieldError.quote(v.asText());
        }
        if (v.isObject()) {
            return "map[string]string{" + StreamSupport.stream(((Iterable<java.util.Map.Entry<String, JsonNode>>) v::fields).spliterator(), false)
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> FieldError.quote(e.getKey()) + ":" + render(e.getValue())).collect(Collectors.joining(", ")) + "}";
        }
        if (v.isArray()) {
            return "[]string{" + StreamSupport.stream(v.spliterator(), false).map(GoValues::render).collect(Collectors.joining(", ")) + "}";
        }
        return v.asText();
    }

    /** A metav1.LabelSelector as %#v prints it, e.g. {@code v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ...}}. */
    static String labelSelector(JsonNode selector) {
        JsonNode labels = selector.path("matchLabels");
        String matchLabels = labels.isObject() ? render(labels) : "map[string]string(nil)";
        JsonNode exprs = selector.path("matchExpressions");
        String matchExpressions = exprs.isArray()
                ? "[]v1.LabelSelectorRequirement{" + StreamSupport.stream(exprs.spliterator(), false)
                        .map(e -> "v1.LabelSelectorRequirement{Key:" + FieldError.quote(e.path("key").asText("")) + ", Operator:"
                                + FieldError.quote(e.path("operator").asText("")) + ", Values:"
                                + (e.path("values").isArray() ? render(e.path("values")) : "[]string(nil)") + "}")
                        .collect(Collectors.joining(", ")) + "}"
                : "[]v1.LabelSelectorRequirement(nil)";
        return "v1.LabelSelector{MatchLabels:" + matchLabels + ", MatchExpressions:" + matchExpressions + "}";
    }
}
