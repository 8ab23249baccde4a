package io.capstan.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.PodResources;
import io.capstan.api.Quantities;
import io.capstan.api.quota.QuantityText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kubernetes 1.32's LimitRanger (plugin/pkg/admission/limitranger): defaults containers' requests and limits from the
 * namespace's LimitRanges and checks min, max and maxLimitRequestRatio of Containers, Pods and PersistentVolumeClaims.
 */
public final class LimitRanger {

    /** The annotation naming what defaulting set. */
    public static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private LimitRanger() {}

    /**
     * Sets missing requests and limits from the Container defaults of limitRanges and records them in the annotation;
     * requests a container still lacks default to its limits, as the v1 pod defaults do.
     */
    public static void defaults(ObjectNode pod, List<? extends JsonNode> limitRanges) {
        ObjectNode defaultLimits = Json.object();
        ObjectNode defaultRequests = Json.object();
        for (JsonNode range : limitRanges) {
            for (JsonNode item : range.path("spec").path("limits")) {
                if (item.path("type").asText().equals("Container")) {
                    ObjectNode effective = effective(item);
                    defaultRequests.setAll((ObjectNode) effective.path("defaultRequest"));
                    defaultLimits.setAll((ObjectNode) effective.path("default"));
                }
            }
        }
        List<String> notes = new ArrayList<>();
        for (JsonNode c : pod.path("spec").path("containers")) {
            notes.addAll(merge((ObjectNode) c, defaultRequests, defaultLimits, "container"));
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            notes.addAll(merge((ObjectNode) c, defaultRequests, defaultLimits, "init container"));
        }
        if (!notes.isEmpty()) {
            Json.with(pod, "metadata", "annotations").put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
        }
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                JsonNode limits = c.path("resources").path("limits");
                if (!limits.isEmpty()) {
                    ObjectNode requests = Json.with((ObjectNode) c, "resources", "requests");
                    limits.properties().forEach(e -> {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    });
                }
            }
        }
    }

    /** A Container item with the v1 LimitRange defaults: default from max, defaultRequest from default, then from min. */
    static ObjectNode effective(JsonNode item) {
        ObjectNode out = item.deepCopy();
        ObjectNode def = Json.with(out, "default");
        ObjectNode defRequest = Json.with(out, "defaultRequest");
        item.path("max").properties().forEach(e -> { if (!def.has(e.getKey())) def.set(e.getKey(), e.getValue()); });
        def.properties().forEach(e -> { if (!defRequest.has(e.getKey())) defRequest.set(e.getKey(), e.getValue()); });
        item.path("min").properties().forEach(e -> { if (!defRequest.has(e.getKey())) defRequest.set(e.getKey(), e.getValue()); });
        return out;
    }

    private static List<String> merge(ObjectNode container, JsonNode requests, JsonNode limits, String prefix) {
        List<String> notes = new ArrayList<>();
        String name = container.path("name").asText("");
        TreeSet<String> setLimits = fill(Json.with(container, "resources", "limits"), limits);
        TreeSet<String> setRequests = fill(Json.with(container, "resources", "requests"), requests);
        if (container.path("resources").path("limits").isEmpty()) {
            ((ObjectNode) container.path("resources")).remove("limits");
        }
        if (container.path("resources").path("requests").isEmpty()) {
            ((ObjectNode) container.path("resources")).remove("requests");
        }
        if (!setRequests.isEmpty()) {
            notes.add(String.join(", ", setRequests) + " request for " + prefix + " " + name);
        }
        if (!setLimits.isEmpty()) {
            notes.add(String.join(", ", setLimits) + " limit for " + prefix + " " + name);
        }
        return notes;
    }

    private static TreeSet<String> fill(ObjectNode into, JsonNode defaults) {
        TreeSet<String> set = new TreeSet<>();
        defaults.properties().forEach(e -> {
            if (!into.has(e.getKey())) {
                into.set(e.getKey(), e.getValue().deepCopy());
                set.add(e.getKey());
            }
        });
        return set;
    }

    /** What the pod breaks of the Container and Pod items of limitRanges, in Kubernetes' words; empty when nothing. */
    public static List<String> podProblems(JsonNode pod, List<? extends JsonNode> limitRanges) {
        List<String> problems = new ArrayList<>();
        for (JsonNode range : limitRanges) {
            for (JsonNode item : range.path("spec").path("limits")) {
                String type = item.path("type").asText();
                if (type.equals("Container")) {
                    for (String list : List.of("containers", "initContainers")) {
                        for (JsonNode c : pod.path("spec").path(list)) {
                            check(item, "Container", texts(c.path("resources").path("requests")), texts(c.path("resources").path("limits")), problems);
                        }
                    }
                } else if (type.equals("Pod")) {
                    check(item, "Pod", texts(PodResources.requests(pod)), texts(PodResources.limits(pod)), problems);
                }
            }
        }
        return problems;
    }

    /** What the claim breaks of the PersistentVolumeClaim items (min and max storage request). */
    public static List<String> claimProblems(JsonNode claim, List<? extends JsonNode> limitRanges) {
        List<String> problems = new ArrayList<>();
        Map<String, String> requests = texts(claim.path("spec").path("resources").path("requests"));
        for (JsonNode range : limitRanges) {
            for (JsonNode item : range.path("spec").path("limits")) {
                if (!item.path("type").asText().equals("PersistentVolumeClaim")) {
                    continue;
                }
                item.path("min").properties().forEach(e -> {
                    String req = requests.get(e.getKey());
                    String enforced = e.getValue().asText();
                    if (req == null) {
                        problems.add("minimum " + e.getKey() + " usage per PersistentVolumeClaim is " + enforced + ".  No request is specified");
                    } else if (milli(req) < milli(enforced)) {
                        problems.add("minimum " + e.getKey() + " usage per PersistentVolumeClaim is " + enforced + ", but request is " + req);
                    }
                });
                item.path("max").properties().forEach(e -> {
                    String req = requests.get(e.getKey());
                    String enforced = e.getValue().asText();
                    if (req != null && milli(req) > milli(enforced)) {
                        problems.add("maximum " + e.getKey() + " usage per PersistentVolumeClaim is " + enforced + ", but request is " + req);
                    }
                });
            }
        }
        return problems;
    }

    /** Kubernetes' minConstraint, maxConstraint and limitRequestRatioConstraint for one item on one container or pod. */
    private static void check(JsonNode item, String kind, Map<String, String> requests, Map<String, String> limits, List<String> problems) {
        item.path("min").properties().forEach(e -> {
            String r = e.getKey(), enforced = e.getValue().asText(), req = requests.get(r), lim = limits.get(r);
            if (req == null) {
                problems.add("minimum " + r + " usage per " + kind + " is " + enforced + ".  No request is specified");
            } else if (milli(req) < milli(enforced)) {
                problems.add("minimum " + r + " usage per " + kind + " is " + enforced + ", but request is " + req);
            } else if (lim != null && milli(lim) < milli(enforced)) {
                problems.add("minimum " + r + " usage per " + kind + " is " + enforced + ", but limit is " + lim);
            }
        });
        item.path("max").properties().forEach(e -> {
            String r = e.getKey(), enforced = e.getValue().asText(), req = requests.get(r), lim = limits.get(r);
            if (lim == null) {
                problems.add("maximum " + r + " usage per " + kind + " is " + enforced + ".  No limit is specified");
            } else if (milli(lim) > milli(enforced)) {
                problems.add("maximum " + r + " usage per " + kind + " is " + enforced + ", but limit is " + lim);
            } else if (req != null && milli(req) > milli(enforced)) {
                problems.add("maximum " + r + " usage per " + kind + " is " + enforced + ", but request is " + req);
            }
        });
        item.path("maxLimitRequestRatio").properties().forEach(e -> {
            String r = e.getKey(), enforced = e.getValue().asText(), req = requests.get(r), lim = limits.get(r);
            String what = r + " max limit to request ratio per " + kind + " is " + enforced;
            if (req == null || milli(req) == 0) {
                problems.add(what + ", but no request is specified or request is 0");
            } else if (lim == null || milli(lim) == 0) {
                problems.add(what + ", but no limit is specified or limit is 0");
            } else {
                double ratio = (double) milli(lim) / milli(req);
                if (ratio * 1000 > milli(enforced)) {
                    problems.add(what + ", but provided ratio is " + String.format(Locale.ROOT, "%f", ratio));
                }
            }
        });
    }

    /** Several problems read as Kubernetes' aggregate error: one alone, else "[a, b]". */
    public static String aggregate(List<String> problems) {
        return problems.size() == 1 ? problems.getFirst() : "[" + String.join(", ", problems) + "]";
    }

    private static Map<String, String> texts(JsonNode quantities) {
        Map<String, String> out = new HashMap<>();
        quantities.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> texts(Map<String, Long> milli) {
        Map<String, String> out = new HashMap<>();
        milli.forEach((k, v) -> out.put(k, QuantityText.of(v)));
        return out;
    }

    private static long milli(String quantity) {
        try {
            return Quantities.milli(quantity);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
