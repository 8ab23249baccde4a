package io.capstan.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The main rules apiextensions-apiserver enforces on a CustomResourceDefinition, with its
 * messages: the name is plural.group, names and scope are given, exactly one storage version,
 * every version has a structural schema.
 */
public final class CrdValidation {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final String DNS_LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
            + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private CrdValidation() {}

    public static void validate(JsonNode crd, List<FieldError> errors) {
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asText("");
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asText("");
        String name = crd.path("metadata").path("name").asText("");
        if (!name.equals(plural + "." + group)) {
            errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), "must be spec.names.plural+\".\"+spec.group"));
        }
        if (group.isEmpty()) {
            errors.add(FieldError.required("spec.group", ""));
        } else if (!group.contains(".")) {
            errors.add(FieldError.invalid("spec.group", FieldError.quote(group), "should be a domain with at least one dot"));
        }
        String scope = spec.path("scope").asText("");
        if (scope.isEmpty()) {
            errors.add(FieldError.required("spec.scope", ""));
        } else if (!scope.equals("Cluster") && !scope.equals("Namespaced")) {
            errors.add(FieldError.notSupported("spec.scope", FieldError.quote(scope), "supported values: \"Cluster\", \"Namespaced\""));
        }
        versions(spec.path("versions"), errors);
        label(names, "plural", errors);
        label(names, "singular", errors);
        for (String n : List.of("kind", "listKind")) {
            if (names.path(n).asText("").isEmpty()) {
                errors.add(FieldError.required("spec.names." + n, ""));
            }
        }
        int i = 0;
        for (JsonNode shortName : names.path("shortNames")) {
            if (!DNS_LABEL.matcher(shortName.asText()).matches()) {
                errors.add(FieldError.invalid("spec.names.shortNames[" + i + "]", FieldError.quote(shortName.asText()), DNS_LABEL_MESSAGE));
            }
            i++;
        }
    }

    /** What an update may not change: the scope and the group. */
    public static void validateUpdate(JsonNode next, JsonNode old, List<FieldError> errors) {
        for (String f : List.of("scope", "group")) {
            JsonNode before = old.path("spec").path(f);
            if (!before.isMissingNode() && !before.equals(next.path("spec").path(f))) {
                errors.add(FieldError.invalid("spec." + f, FieldError.quote(next.path("spec").path(f).asText()), "field is immutable"));
            }
        }
    }

    private static void label(JsonNode names, String field, List<FieldError> errors) {
        String value = names.path(field).asText("");
        if (value.isEmpty()) {
            errors.add(FieldError.required("spec.names." + field, ""));
        } else if (!DNS_LABEL.matcher(value).matches()) {
            errors.add(FieldError.invalid("spec.names." + field, FieldError.quote(value), DNS_LABEL_MESSAGE));
        }
    }

    private static void versions(JsonNode versions, List<FieldError> errors) {
        if (!versions.isArray() || versions.isEmpty()) {
            errors.add(FieldError.required("spec.versions", "must have at least one version"));
            return;
        }
        int storage = 0;
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            String path = "spec.versions[" + i + "]";
            String name = v.path("name").asText("");
            unique &= seen.add(name);
            if (!DNS1035_LABEL.matcher(name).matches()) {
                errors.add(FieldError.invalid(path + ".name", FieldError.quote(name), "a DNS-1035 label must consist of lower case "
                        + "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                        + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
            }
            if (v.path("storage").asBoolean(false)) {
                storage++;
            }
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            String schemaPath = path + ".schema.openAPIV3Schema";
            if (!schema.isObject()) {
                errors.add(FieldError.required(schemaPath, "schemas are required"));
            } else {
                if (!"object".equals(schema.path("type").asText(""))) {
                    errors.add(FieldError.invalid(schemaPath + ".type", FieldError.quote(schema.path("type").asText("")),
                            "must be object at the root"));
                }
                structural(schema, schemaPath, errors);
            }
        }
        if (!unique) {
            errors.add(FieldError.invalid("spec.versions", versionsValue(versions), "must contain unique version names"));
        }
        if (storage != 1) {
            errors.add(FieldError.invalid("spec.versions", versionsValue(versions), "must have exactly one version marked as storage version"));
        }
    }

    /** Structural schema rules: every specified field and item has a type, unless it is int-or-string or keeps unknown fields. */
    private static void structural(JsonNode s, String path, List<FieldError> errors) {
        JsonNode preserve = s.get("x-kubernetes-preserve-unknown-fields");
        if (preserve != null && !preserve.asBoolean(false)) {
            errors.add(FieldError.invalid(path + ".x-kubernetes-preserve-unknown-fields", "false", "must be true or undefined"));
        }
        if (s.path("properties").isObject() && s.path("additionalProperties").isObject()) {
            errors.add(FieldError.forbidden(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }
        for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
            String child = path + ".properties[" + p.getKey() + "]";
            typed(p.getValue(), child, "must not be empty for specified object fields", errors);
            structural(p.getValue(), child, errors);
        }
        if (s.path("items").isObject()) {
            typed(s.get("items"), path + ".items", "must not be empty for specified array items", errors);
            structural(s.get("items"), path + ".items", errors);
        }
        if (s.path("additionalProperties").isObject()) {
            typed(s.get("additionalProperties"), path + ".additionalProperties", "must not be empty for specified object fields", errors);
            structural(s.get("additionalProperties"), path + ".additionalProperties", errors);
        }
    }

    private static void typed(JsonNode s, String path, String why, List<FieldError> errors) {
        boolean free = s.path("x-kubernetes-int-or-string").asBoolean(false) || s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (!free && s.path("type").asText("").isEmpty()) {
            errors.add(FieldError.required(path + ".type", why));
        }
    }

    /** A short rendering of the versions list in the place where Kubernetes dumps the Go structs. */
    private static String versionsValue(JsonNode versions) {
        StringBuilder s = new StringBuilder("[]apiextensions.CustomResourceDefinitionVersion{");
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            s.append(i == 0 ? "" : ", ").append("apiextensions.CustomResourceDefinitionVersion{Name:")
                    .append(FieldError.quote(v.path("name").asText(""))).append(", Served:").append(v.path("served").asBoolean(false))
                    .append(", Storage:").append(v.path("storage").asBoolean(false)).append("}");
        }
        return s.append("}").toString();
    }
}
