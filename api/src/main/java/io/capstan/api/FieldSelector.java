package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A field selector (`a=b,c!=d`) over the fields Kubernetes lets each kind be selected by. */
public final class FieldSelector {

    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
    /** Extra selectable fields per qualified resource, from kube-apiserver's field label conversion functions. */
    private static final Map<String, Set<String>> BY_RESOURCE = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                    "reportingComponent", "source", "type"),
            "events.events.k8s.io", Set.of("reason", "type", "regarding.kind", "regarding.namespace", "regarding.name",
                    "regarding.uid", "reportingController"),
            "secrets", Set.of("type"),
            "namespaces", Set.of("status.phase"),
            "nodes", Set.of("spec.unschedulable"),
            "replicasets.apps", Set.of("status.replicas"),
            "replicationcontrollers", Set.of("status.replicas"),
            "jobs.batch", Set.of("status.successful"),
            "certificatesigningrequests.certificates.k8s.io", Set.of("spec.signerName"));

    private record Term(String field, boolean equals, String value) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    public static FieldSelector parse(String selector, ResourceType type) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        Set<String> supported = BY_RESOURCE.getOrDefault(type.qualifiedResource(), Set.of());
        List<Term> terms = new ArrayList<>();
        for (String part : selector.split(",")) {
            String p = part.trim();
            int ne = p.indexOf("!=");
            int eq = p.indexOf('=');
            if (ne < 0 && eq < 0) {
                throw StatusException.badRequest("invalid selector: '" + selector + "'; can't understand '" + p + "'");
            }
            String field = (ne >= 0 ? p.substring(0, ne) : p.substring(0, eq)).trim();
            String value = ne >= 0 ? p.substring(ne + 2) : p.startsWith("==", eq) ? p.substring(eq + 2) : p.substring(eq + 1);
            if (!COMMON.contains(field) && !supported.contains(field)) {
                throw StatusException.badRequest("field label not supported: " + field);
            }
            terms.add(new Term(field, ne < 0, value.trim()));
        }
        return new FieldSelector(terms);
    }

    public boolean matches(JsonNode object) {
        for (Term t : terms) {
            if (value(object, t.field()).equals(t.value()) != t.equals()) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return terms.isEmpty();
    }

    /** A field's value as Kubernetes compares it: text, numbers and booleans as strings, absent as "". */
    private static String value(JsonNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asText("");
        }
        if (field.equals("status.podIPs")) {
            JsonNode first = object.path("status").path("podIPs").path(0).path("ip");
            return first.asText("");
        }
        JsonNode n = object;
        for (String part : field.split("\\.")) {
            n = n.path(part);
        }
        if (n.isMissingNode() || n.isNull()) {
            return field.equals("spec.hostNetwork") || field.equals("spec.unschedulable") ? "false" : "";
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
