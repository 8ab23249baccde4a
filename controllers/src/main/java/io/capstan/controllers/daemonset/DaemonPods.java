package io.capstan.controllers.daemonset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.controllers.Revisions;
import java.util.Comparator;
import java.util.List;

/**
 * A DaemonSet's pods as daemonset_util.go makes them: the template with the tolerations every
 * daemon pod gets, the revision label, and a required node affinity to its one node
 * (matchFields metadata.name) that leaves the binding to the scheduler.
 */
final class DaemonPods {

    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
    static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    /** key, effect: the tolerations Kubernetes adds to every DaemonSet pod (operator Exists). */
    private static final List<String[]> DEFAULT_TOLERATIONS = List.of(
            new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
            new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
            new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});

    /** Older first, scheduled before unscheduled (podByCreationTimestampAndPhase). */
    static final Comparator<JsonNode> OLDEST_FIRST = Comparator
            .comparing((JsonNode p) -> p.path("spec").path("nodeName").asText("").isEmpty())
            .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(p -> p.path("metadata").path("name").asText(""));

    private DaemonPods() {}

    /** The pod spec a daemon pod would have: the template's, with the default tolerations. */
    static ObjectNode podSpec(JsonNode ds) {
        JsonNode spec = ds.path("spec").path("template").path("spec");
        ObjectNode copy = spec.isObject() ? ((ObjectNode) spec).deepCopy() : Json.object();
        addDefaultTolerations(copy);
        return copy;
    }

    /** AddOrUpdateDaemonPodTolerations: each default replaces an equal toleration or is appended. */
    static void addDefaultTolerations(ObjectNode spec) {
        List<String[]> defaults = new java.util.ArrayList<>(DEFAULT_TOLERATIONS);
        if (spec.path("hostNetwork").asBoolean(false)) {
            defaults.add(new String[] {"node.kubernetes.io/network-unavailable", "NoSchedule"});
        }
        ArrayNode tolerations = spec.path("tolerations").isArray() ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        for (String[] d : defaults) {
            ObjectNode wanted = Json.object().put("key", d[0]).put("operator", "Exists").put("effect", d[1]);
            boolean found = false;
            for (int i = 0; i < tolerations.size(); i++) {
                JsonNode t = tolerations.get(i);
                if (t.path("key").asText("").equals(d[0]) && t.path("operator").asText("").equals("Exists")
                        && t.path("effect").asText("").equals(d[1]) && t.path("value").asText("").isEmpty()) {
                    tolerations.set(i, wanted);
                    found = true;
                }
            }
            if (!found) {
                tolerations.add(wanted);
            }
        }
    }

    /** The template daemon pods of this revision are made from (CreatePodTemplate). */
    static ObjectNode template(JsonNode ds, String hash) {
        JsonNode t = ds.path("spec").path("template");
        ObjectNode template = t.isObject() ? ((ObjectNode) t).deepCopy() : Json.object();
        template.set("spec", podSpec(ds));
        ObjectNode labels = Json.with(template, "metadata", "labels");
        String generation = templateGeneration(ds);
        if (generation != null) {
            labels.put(TEMPLATE_GENERATION_LABEL, generation);
        }
        if (!hash.isEmpty()) {
            labels.put(Revisions.POD_HASH_LABEL, hash);
        }
        return template;
    }

    /** The template with its required node affinity replaced by one that only the named node meets. */
    static ObjectNode forNode(ObjectNode template, String nodeName) {
        ObjectNode copy = template.deepCopy();
        ObjectNode required = Json.with(copy, "spec", "affinity", "nodeAffinity");
        ObjectNode selector = required.putObject("requiredDuringSchedulingIgnoredDuringExecution");
        selector.putArray("nodeSelectorTerms").addObject().putArray("matchFields").addObject()
                .put("key", "metadata.name").put("operator", "In").putArray("values").add(nodeName);
        return copy;
    }

    /** The node a daemon pod is for: spec.nodeName, or the one node its required affinity names; null when neither. */
    static String targetNode(JsonNode pod) {
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (!nodeName.isEmpty()) {
            return nodeName;
        }
        JsonNode terms = pod.path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        for (JsonNode term : terms) {
            for (JsonNode f : term.path("matchFields")) {
                if (f.path("key").asText().equals("metadata.name") && f.path("operator").asText().equals("In")
                        && f.path("values").size() == 1) {
                    return f.path("values").get(0).asText();
                }
            }
        }
        return null;
    }

    /** IsPodUpdated: the pod carries the current revision's hash (or the current template generation). */
    static boolean updated(JsonNode pod, String hash, String generation) {
        JsonNode labels = pod.path("metadata").path("labels");
        boolean hashMatches = !hash.isEmpty() && labels.path(Revisions.POD_HASH_LABEL).asText("").equals(hash);
        boolean generationMatches = generation != null && labels.path(TEMPLATE_GENERATION_LABEL).asText("").equals(generation);
        return hashMatches || generationMatches;
    }

    static String templateGeneration(JsonNode ds) {
        JsonNode g = ds.path("metadata").path("annotations").path(TEMPLATE_GENERATION_ANNOTATION);
        return g.isTextual() ? g.asText() : null;
    }

    /** An int-or-percent of total, rounded up (GetScaledValueFromIntOrPercent with roundUp). */
    static int scaled(JsonNode value, int total, int fallback) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (value.isInt() || value.isLong()) {
            return value.asInt();
        }
        String s = value.asText().trim();
        if (s.endsWith("%")) {
            int percent = Integer.parseInt(s.substring(0, s.length() - 1));
            return (int) Math.ceil(percent * (double) total / 100.0);
        }
        return Integer.parseInt(s);
    }
}
