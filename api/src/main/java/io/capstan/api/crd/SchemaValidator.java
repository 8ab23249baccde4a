package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates a custom object against its kind's openAPIV3Schema as apiextensions-apiserver does:
 * types, required, enum, string patterns and lengths, number bounds, list sizes and set/map list
 * uniqueness, with Kubernetes' field paths and messages. The object's apiVersion, kind and
 * metadata are checked elsewhere, as Kubernetes checks them by ObjectMeta's rules.
 */
public final class SchemaValidator {

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private SchemaValidator() {}

    /** Every way obj breaks schema; empty when it conforms. */
    public static List<FieldError> validate(JsonNode schema, JsonNode obj) {
        List<FieldError> errors = new ArrayList<>();
        if (schema != null && obj != null) {
            object(schema, obj, "", true, errors);
        }
        return errors;
    }

    private static void check(JsonNode s, JsonNode v, String path, List<FieldError> errors) {
        if (v == null || v.isMissingNode()) {
            return;
        }
        if (v.isNull()) {
            if (!s.path("nullable").asBoolean(false) && s.has("type")) {
                errors.add(typeError(path, s.get("type").asText(), "null"));
            }
            return;
        }
        String found = typeName(v);
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!found.equals("integer") && !found.equals("string")) {
                errors.add(typeError(path, "integer,string", found));
                return;
            }
        } else if (s.has("type") && !matchesType(s.get("type").asText(), v, found)) {
            errors.add(typeError(path, s.get("type").asText(), found));
            return;
        }
        if (s.has("enum") && !contains(s.get("enum"), v)) {
            errors.add(FieldError.notSupported(path, GoValue.of(v), "supported values: "
                    + StreamSupport.stream(s.get("enum").spliterator(), false).map(GoValue::of).collect(Collectors.joining(", "))));
        }
        if (v.isTextual()) {
            string(s, v.asText(), path, errors);
        } else if (v.isNumber()) {
            number(s, v, path, errors);
        } else if (v.isArray()) {
            array(s, v, path, errors);
        } else if (v.isObject()) {
            object(s, v, path, false, errors);
        }
    }

    private static void string(JsonNode s, String text, String path, List<FieldError> errors) {
        int length = text.codePointCount(0, text.length());
        if (s.has("maxLength") && length > s.get("maxLength").asLong()) {
            errors.add(new FieldError(FieldError.Type.TOO_LONG, path, null,
                    "may not be more than " + s.get("maxLength").asLong() + (s.get("maxLength").asLong() == 1 ? " byte" : " bytes")));
        }
        if (s.has("minLength") && length < s.get("minLength").asLong()) {
            errors.add(FieldError.invalid(path, FieldError.quote(text),
                    path + " in body should be at least " + s.get("minLength").asLong() + " chars long"));
        }
        if (s.has("pattern")) {
            String regex = s.get("pattern").asText();
            Pattern p = compile(regex);
            if (p != null && !p.matcher(text).find()) {
                errors.add(FieldError.invalid(path, FieldError.quote(text), path + " in body should match '" + regex + "'"));
            }
        }
    }

    private static void number(JsonNode s, JsonNode v, String path, List<FieldError> errors) {
        BigDecimal n = v.decimalValue();
        String shown = GoValue.of(v);
        if (s.has("minimum")) {
            int c = n.compareTo(s.get("minimum").decimalValue());
            boolean exclusive = s.path("exclusiveMinimum").asBoolean(false);
            if (c < 0 || (exclusive && c == 0)) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be greater than " + (exclusive ? "" : "or equal to ")
                        + GoValue.of(s.get("minimum"))));
            }
        }
        if (s.has("maximum")) {
            int c = n.compareTo(s.get("maximum").decimalValue());
            boolean exclusive = s.path("exclusiveMaximum").asBoolean(false);
            if (c > 0 || (exclusive && c == 0)) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be less than " + (exclusive ? "" : "or equal to ")
                        + GoValue.of(s.get("maximum"))));
            }
        }
        if (s.has("multipleOf") && s.get("multipleOf").decimalValue().signum() != 0
                && n.remainder(s.get("multipleOf").decimalValue()).signum() != 0) {
            errors.add(FieldError.invalid(path, shown, path + " in body should be a multiple of " + GoValue.of(s.get("multipleOf"))));
        }
    }

    private static void array(JsonNode s, JsonNode v, String path, List<FieldError> errors) {
        if (s.has("maxItems") && v.size() > s.get("maxItems").asLong()) {
            errors.add(new FieldError(FieldError.Type.TOO_MANY, path, Integer.toString(v.size()),
                    "must have at most " + s.get("maxItems").asLong() + " items"));
        }
        if (s.has("minItems") && v.size() < s.get("minItems").asLong()) {
            errors.add(FieldError.invalid(path, GoValue.of(v), path + " in body should have at least " + s.get("minItems").asLong() + " items"));
        }
        String listType = s.path("x-kubernetes-list-type").asText("atomic");
        if (listType.equals("set")) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < v.size(); i++) {
                if (!seen.add(v.get(i))) {
                    errors.add(FieldError.duplicate(path + "[" + i + "]", GoValue.of(v.get(i))));
                }
            }
        } else if (listType.equals("map") && s.path("x-kubernetes-list-map-keys").isArray()) {
            Set<List<JsonNode>> seen = new HashSet<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                List<JsonNode> key = new ArrayList<>();
                s.get("x-kubernetes-list-map-keys").forEach(k -> key.add(item.path(k.asText())));
                if (!seen.add(key)) {
                    errors.add(FieldError.duplicate(path + "[" + i + "]", GoValue.of(item)));
                }
            }
        }
        JsonNode items = s.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < v.size(); i++) {
                check(items, v.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static void object(JsonNode s, JsonNode v, String path, boolean root, List<FieldError> errors) {
        for (JsonNode r : s.path("required")) {
            String name = r.asText();
            if (!(root && ROOT_FIELDS.contains(name)) && !v.has(name)) {
                errors.add(FieldError.required(join(path, name), ""));
            }
        }
        JsonNode properties = s.path("properties");
        JsonNode additional = s.get("additionalProperties");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (root && ROOT_FIELDS.contains(e.getKey())) {
                continue;
            }
            JsonNode child = properties.get(e.getKey());
            if (child == null && additional != null && additional.isObject()) {
                child = additional;
            }
            if (child != null) {
                check(child, e.getValue(), join(path, e.getKey()), errors);
            }
        }
    }

    private static boolean matchesType(String type, JsonNode v, String found) {
        return switch (type) {
            case "integer" -> found.equals("integer");
            case "number" -> v.isNumber();
            default -> type.equals(found);
        };
    }

    /** The JSON type of a value as kube-openapi names it; whole floats count as integers, as Go's decoder makes them. */
    static String typeName(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        if (v.isIntegralNumber() || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0)) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isObject()) {
            return "object";
        }
        return "null";
    }

    private static FieldError typeError(String path, String wanted, String found) {
        return FieldError.invalid(path, FieldError.quote(found), path + " in body must be of type " + wanted + ": " + FieldError.quote(found));
    }

    private static boolean contains(JsonNode values, JsonNode v) {
        for (JsonNode e : values) {
            if (e.equals(v) || (e.isNumber() && v.isNumber() && e.decimalValue().compareTo(v.decimalValue()) == 0)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern compile(String regex) {
        try {
            return PATTERNS.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null; // the definition's validation refuses such patterns; nothing to enforce here
        }
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
