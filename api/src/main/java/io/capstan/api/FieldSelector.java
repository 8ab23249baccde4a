package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A field selector (`a=b,c!=d`) over the fields Kubernetes lets each kind be selected by. */
public final class FieldSelector {

    /** What kinds without their own conversion accept (runtime.DefaultMetaV1FieldSelectorConversion). */
    private static final Set<String> DEFAULT = Set.of("metadata.name", "metadata.namespace");
    /** The kinds with a field label conversion function, and the fields it accepts (kube's AddFieldLabelConversionFunc calls). */
    private static final Map<String, Set<String>> BY_RESOURCE = Map.ofEntries(
            Map.entry("pods", Set.of("metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                    "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
                    "status.nominatedNodeName", "spec.host")),
            Map.entry("nodes", Set.of("metadata.name", "spec.unschedulable")),
            Map.entry("replicationcontrollers", Set.of("metadata.name", "metadata.namespace", "status.replicas")),
            Map.entry("events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                    "reportingComponent", "source", "type", "metadata.namespace", "metadata.name")),
            Map.entry("namespaces", Set.of("status.phase", "metadata.name")),
            Map.entry("secrets", Set.of("type", "metadata.namespace", "metadata.name")),
            Map.entry("services", Set.of("metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type")),
            Map.entry("events.events.k8s.io", Set.of("reason", "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                    "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath", "reportingController", "type",
                    "metadata.namespace", "metadata.name")),
            Map.entry("replicasets.apps", Set.of("metadata.name", "metadata.namespace", "status.replicas")),
            Map.entry("jobs.batch", Set.of("metadata.name", "metadata.namespace", "status.successful")),
            Map.entry("certificatesigningrequests.certificates.k8s.io", Set.of("metadata.name", "spec.signerName")));
    /** Selectable fields that are not the object's own path, or that print a zero value when absent. */
    private static final Map<String, String> PATHS = Map.of("spec.host", "spec.nodeName", "status.successful", "status.succeeded");
    private static final Map<String, String> ZERO = Map.of("spec.hostNetwork", "false", "spec.unschedulable", "false",
            "status.replicas", "0", "status.successful", "0");

    private record Term(String field, boolean equals, String value) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** Parses as fields.ParseSelector does (terms sorted, `\,` `\=` `\\` escapes), then checks each field against the kind. */
    public static FieldSelector parse(String selector, ResourceType type) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(selector);
        parts.sort(null);
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int at = -1;
            String op = null;
            for (int i = 0; i < part.length() && op == null; i++) {
                for (String candidate : new String[] {"!=", "==", "="}) {
                    if (part.startsWith(candidate, i)) {
                        at = i;
                        op = candidate;
                        break;
                    }
                }
            }
            if (op == null) {
                throw StatusException.badRequest("invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            terms.add(new Term(part.substring(0, at), !op.equals("!="), unescape(part.substring(at + op.length()))));
        }
        Set<String> supported = BY_RESOURCE.get(type.qualifiedResource());
        for (Term t : terms) {
            if (supported == null && !DEFAULT.contains(t.field())) {
                throw StatusException.badRequest(FieldError.quote(t.field()) + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }
            if (supported != null && !supported.contains(t.field())) {
                throw StatusException.badRequest("field label not supported: " + t.field());
            }
        }
        return new FieldSelector(terms);
    }

    /** Splits at commas that no backslash escapes; the backslashes stay for unescape. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static String unescape(String value) {
        StringBuilder s = new StringBuilder();
        boolean inSlash = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw StatusException.badRequest("invalid field selector: invalid escape sequence: \\" + c);
                }
                s.append(c);
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                // Go prints the rune as its number here.
                throw StatusException.badRequest("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                s.append(c);
            }
        }
        if (inSlash) {
            throw StatusException.badRequest("invalid field selector: invalid escape sequence: \\");
        }
        return s.toString();
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

    /** A field's value as Kubernetes' *ToSelectableFields give it: text, numbers and booleans as strings, absent as zero. */
    private static String value(JsonNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asText("");
        }
        if (field.equals("status.podIPs")) {
            return object.path("status").path("podIPs").path(0).path("ip").asText("");
        }
        JsonNode n = object;
        for (String part : PATHS.getOrDefault(field, field).split("\\.")) {
            n = n.path(part);
        }
        if (n.isMissingNode() || n.isNull()) {
            return ZERO.getOrDefault(field, "");
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }
}
