package io.capstan.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.controllers.OwnerRefs;
import io.capstan.controllers.Pods;
import io.capstan.controllers.Revisions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A StatefulSet's pods as stateful_set_utils.go sees them: names with ordinals, identity, stable storage. */
final class StatefulPods {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private static final Pattern NAME = Pattern.compile("(.*)-([0-9]+)$");

    private StatefulPods() {}

    /** The pod's ordinal from its name, or -1 when it has none. */
    static int ordinal(JsonNode pod) {
        Matcher m = NAME.matcher(pod.path("metadata").path("name").asText(""));
        if (!m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the pod's name makes it a member of the set: set name, dash, ordinal. */
    static boolean isMemberOf(JsonNode set, JsonNode pod) {
        Matcher m = NAME.matcher(pod.path("metadata").path("name").asText(""));
        return m.matches() && m.group(1).equals(name(set));
    }

    static String name(JsonNode obj) {
        return obj.path("metadata").path("name").asText();
    }

    static String podName(JsonNode set, int ordinal) {
        return name(set) + "-" + ordinal;
    }

    static int startOrdinal(JsonNode set) {
        return set.path("spec").path("ordinals").path("start").asInt(0);
    }

    static int replicas(JsonNode set) {
        return set.path("spec").path("replicas").asInt(1);
    }

    static boolean inOrdinalRange(JsonNode set, JsonNode pod) {
        int ord = ordinal(pod);
        return ord >= startOrdinal(set) && ord < startOrdinal(set) + replicas(set);
    }

    static String claimName(JsonNode set, String template, int ordinal) {
        return template + "-" + name(set) + "-" + ordinal;
    }

    static String revision(JsonNode pod) {
        return pod.path("metadata").path("labels").path(Revisions.POD_HASH_LABEL).asText("");
    }

    static boolean terminating(JsonNode pod) {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText("");
    }

    static boolean runningAndReady(JsonNode pod) {
        return phase(pod).equals("Running") && Pods.ready(pod);
    }

    static boolean runningAndAvailable(JsonNode pod, int minReadySeconds, Instant now) {
        return runningAndReady(pod) && Pods.available(pod, minReadySeconds, now);
    }

    /** A missing, terminating or not yet available pod. */
    static boolean unavailable(JsonNode pod, int minReadySeconds, Instant now) {
        return pod == null || terminating(pod) || !runningAndAvailable(pod, minReadySeconds, now);
    }

    /** Name, labels, hostname and subdomain as the set gives them to this ordinal. */
    static boolean identityMatches(JsonNode set, JsonNode pod) {
        int ord = ordinal(pod);
        JsonNode labels = pod.path("metadata").path("labels");
        return ord >= 0 && isMemberOf(set, pod)
                && pod.path("metadata").path("namespace").asText().equals(set.path("metadata").path("namespace").asText())
                && labels.path(POD_NAME_LABEL).asText("").equals(name(pod))
                && labels.path(POD_INDEX_LABEL).asText("").equals(Integer.toString(ord))
                && pod.path("spec").path("hostname").asText("").equals(name(pod))
                && pod.path("spec").path("subdomain").asText("").equals(set.path("spec").path("serviceName").asText(""));
    }

    /** Every volumeClaimTemplate has its volume pointing at this ordinal's claim. */
    static boolean storageMatches(JsonNode set, JsonNode pod) {
        int ord = ordinal(pod);
        if (ord < 0) {
            return false;
        }
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        for (JsonNode claim : set.path("spec").path("volumeClaimTemplates")) {
            String template = claim.path("metadata").path("name").asText();
            JsonNode v = volumes.get(template);
            if (v == null || !v.path("persistentVolumeClaim").path("claimName").asText("").equals(claimName(set, template, ord))) {
                return false;
            }
        }
        return true;
    }

    /** Sets the pod's identity (labels, hostname, subdomain) for its ordinal. */
    static void updateIdentity(JsonNode set, ObjectNode pod) {
        int ord = ordinal(pod);
        ObjectNode labels = Json.with(pod, "metadata", "labels");
        labels.put(POD_NAME_LABEL, name(pod)).put(POD_INDEX_LABEL, Integer.toString(ord));
        ObjectNode spec = Json.with(pod, "spec");
        spec.put("hostname", name(pod));
        String service = set.path("spec").path("serviceName").asText("");
        if (service.isEmpty()) {
            spec.remove("subdomain");
        } else {
            spec.put("subdomain", service);
        }
    }

    /** Points the pod's volumes named after claim templates at this ordinal's claims, keeping its other volumes. */
    static void updateStorage(JsonNode set, ObjectNode pod) {
        int ord = ordinal(pod);
        Map<String, String> claims = new LinkedHashMap<>();
        for (JsonNode claim : set.path("spec").path("volumeClaimTemplates")) {
            String template = claim.path("metadata").path("name").asText();
            claims.put(template, claimName(set, template, ord));
        }
        if (claims.isEmpty()) {
            return;
        }
        ArrayNode volumes = Json.array();
        claims.forEach((template, claim) -> volumes.addObject().put("name", template)
                .putObject("persistentVolumeClaim").put("claimName", claim));
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (!claims.containsKey(v.path("name").asText())) {
                volumes.add(v);
            }
        }
        Json.with(pod, "spec").set("volumes", volumes);
    }

    /** A new pod for the ordinal from template (a revision's), labelled with that revision. */
    static ObjectNode newPod(JsonNode set, ObjectNode template, String revision, int ordinal) {
        ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = template.path("metadata").isObject() ? ((ObjectNode) template.get("metadata")).deepCopy() : Json.object();
        meta.remove(java.util.List.of("name", "generateName", "namespace", "resourceVersion", "uid", "creationTimestamp"));
        meta.put("name", podName(set, ordinal)).put("namespace", set.path("metadata").path("namespace").asText());
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(set));
        pod.set("metadata", meta);
        pod.set("spec", template.path("spec").isObject() ? template.get("spec").deepCopy() : Json.object());
        updateIdentity(set, pod);
        updateStorage(set, pod);
        Json.with(pod, "metadata", "labels").put(Revisions.POD_HASH_LABEL, revision);
        return pod;
    }

    /** The claims this ordinal's pod uses, by template name: the template with its name, namespace and the selector's labels. */
    static Map<String, ObjectNode> claims(JsonNode set, int ordinal) {
        Map<String, ObjectNode> claims = new LinkedHashMap<>();
        for (JsonNode template : set.path("spec").path("volumeClaimTemplates")) {
            ObjectNode claim = ((ObjectNode) template).deepCopy();
            claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
            String templateName = template.path("metadata").path("name").asText();
            ObjectNode meta = Json.with(claim, "metadata");
            meta.put("name", claimName(set, templateName, ordinal)).put("namespace", set.path("metadata").path("namespace").asText());
            ObjectNode labels = Json.with(meta, "labels");
            set.path("spec").path("selector").path("matchLabels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
            claim.remove("status");
            claims.put(templateName, claim);
        }
        return claims;
    }
}
