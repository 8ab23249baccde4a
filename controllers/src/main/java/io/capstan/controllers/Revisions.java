package io.capstan.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * ControllerRevisions as StatefulSets and DaemonSets keep them (pkg/controller/history): the
 * revision's data is a patch that restores the pod template, names end in a short hash of what
 * they hold, and a collision count changes the hash when two different revisions would collide.
 */
public final class Revisions {

    /** The pod label naming the revision a pod was made from. */
    public static final String POD_HASH_LABEL = "controller-revision-hash";
    /** The label history.NewControllerRevision puts on every revision. */
    public static final String HASH_LABEL = "controller.kubernetes.io/hash";

    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    /** History order: revision number, then creation time, then name. */
    public static final Comparator<JsonNode> ORDER = Comparator.comparingLong(Revisions::number)
            .thenComparing(r -> r.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(r -> r.path("metadata").path("name").asText(""));

    private Revisions() {}

    public static long number(JsonNode revision) {
        return revision.path("revision").asLong(0);
    }

    /** The patch a revision stores: {"spec":{"template":{..., "$patch":"replace"}}}. */
    public static ObjectNode templatePatch(JsonNode owner) {
        ObjectNode template = owner.path("spec").path("template").isObject()
                ? ((ObjectNode) owner.path("spec").path("template")).deepCopy() : Json.object();
        template.put("$patch", "replace");
        ObjectNode data = Json.object();
        data.putObject("spec").set("template", template);
        return data;
    }

    /** The pod template a revision restores. */
    public static ObjectNode template(JsonNode revision) {
        JsonNode t = revision.path("data").path("spec").path("template");
        ObjectNode template = t.isObject() ? ((ObjectNode) t).deepCopy() : Json.object();
        template.remove("$patch");
        return template;
    }

    /** A revision object named prefix-hash, controlled by owner. */
    public static ObjectNode newRevision(JsonNode owner, String hash, JsonNode labels, ObjectNode data, long number) {
        ObjectNode rev = Json.object().put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode meta = rev.putObject("metadata").put("name", name(Json.text(owner, "metadata", "name"), hash))
                .put("namespace", Json.text(owner, "metadata", "namespace"));
        ObjectNode l = labels != null && labels.isObject() ? ((ObjectNode) labels).deepCopy() : Json.object();
        meta.set("labels", l);
        meta.putArray("ownerReferences").add(OwnerRefs.controllerRef(owner));
        rev.set("data", data);
        rev.put("revision", number);
        return rev;
    }

    /** prefix-hash, the prefix cut so the name stays a valid object name (history.ControllerRevisionName). */
    public static String name(String prefix, String hash) {
        return (prefix.length() > 223 ? prefix.substring(0, 223) : prefix) + "-" + hash;
    }

    /** The revisions sorted into history order. */
    public static List<ObjectNode> sorted(List<ObjectNode> revisions) {
        List<ObjectNode> list = new ArrayList<>(revisions);
        list.sort(ORDER);
        return list;
    }

    /**
     * A short stable hash of a JSON value and the collision count: FNV-1a over the value with
     * its keys in sorted order, written in Kubernetes' consonant alphabet (rand.SafeEncodeString).
     */
    public static String hash(JsonNode value, Integer collisionCount) {
        int h = 0x811c9dc5;
        for (byte b : canonical(value).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x01000193;
        }
        if (collisionCount != null) {
            int c = collisionCount;
            for (int i = 0; i < 4; i++) {
                h = (h ^ ((c >>> (8 * i)) & 0xff)) * 0x01000193;
            }
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder out = new StringBuilder(digits.length());
        for (char ch : digits.toCharArray()) {
            out.append(SAFE.charAt(ch % SAFE.length()));
        }
        return out.toString();
    }

    /** Whether two revisions' data restore the same template (field order and null fields aside). */
    public static boolean sameData(JsonNode a, JsonNode b) {
        return canonical(a.path("data")).equals(canonical(b.path("data")));
    }

    /**
     * JSON text with object keys sorted and null fields left out, so values Go would decode
     * alike hash and compare alike (a template's "creationTimestamp": null among them).
     */
    public static String canonical(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    fields.put(e.getKey(), e.getValue());
                }
            });
            StringBuilder sb = new StringBuilder("{");
            Iterator<java.util.Map.Entry<String, JsonNode>> it = fields.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                sb.append(Json.string(Json.MAPPER.getNodeFactory().textNode(e.getKey()))).append(':').append(canonical(e.getValue()));
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            return sb.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                sb.append(i > 0 ? "," : "").append(canonical(node.get(i)));
            }
            return sb.append(']').toString();
        }
        return Json.string(node);
    }
}
