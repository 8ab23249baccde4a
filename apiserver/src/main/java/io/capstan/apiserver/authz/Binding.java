package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A RoleBinding (namespace set) or ClusterRoleBinding (namespace ""), reduced to what authorization needs.
 *
 * @param roleKind "Role" or "ClusterRole"
 * @param subjects index keys of the subjects, see {@link #subjectKey}
 */
public record Binding(String namespace, String name, String roleKind, String roleName, List<String> subjects) {

    public static Binding fromJson(JsonNode obj) {
        String ns = orEmpty(Json.text(obj, "metadata", "namespace"));
        List<String> subjects = new ArrayList<>();
        for (JsonNode s : obj.path("subjects")) {
            String key = subjectKey(s.path("kind").asText(""), s.path("name").asText(""), s.path("namespace").asText(""), ns);
            if (key != null) {
                subjects.add(key);
            }
        }
        return new Binding(ns, orEmpty(Json.text(obj, "metadata", "name")), obj.path("roleRef").path("kind").asText(""),
                obj.path("roleRef").path("name").asText(""), List.copyOf(subjects));
    }

    /**
     * How a subject is indexed: users and service accounts by user name, groups by group name.
     * A service account without a namespace takes the binding's (none for cluster bindings: it never matches).
     */
    static String subjectKey(String kind, String name, String subjectNamespace, String bindingNamespace) {
        return switch (kind) {
            case "User" -> userKey(name);
            case "Group" -> groupKey(name);
            case "ServiceAccount" -> {
                String ns = subjectNamespace.isEmpty() ? bindingNamespace : subjectNamespace;
                yield ns.isEmpty() ? null : userKey("system:serviceaccount:" + ns + ":" + name);
            }
            default -> null;
        };
    }

    static String userKey(String name) {
        return "user:" + name;
    }

    static String groupKey(String name) {
        return "group:" + name;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
