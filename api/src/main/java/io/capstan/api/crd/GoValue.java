package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Renders a decoded JSON value as Go's %#v shows an interface{} holding it, for Kubernetes' bad values. */
final class GoValue {

    private GoValue() {}

    static String of(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return FieldError.quote(v.asText());
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? v.asText() : v.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (v.isArray()) {
            return "[]interface {}{" + StreamSupport.stream(v.spliterator(), false).map(GoValue::of).collect(Collectors.joining(", ")) + "}";
        }
        if (v.isObject()) {
            return "map[string]interface {}{" + v.properties().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> FieldError.quote(e.getKey()) + ":" + of(e.getValue())).collect(Collectors.joining(", ")) + "}";
        }
        return v.asText();
    }
}
