package io.capstan.controllers.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.controllers.OwnerRefs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many pods a budget's pods should number (getExpectedScale): the sum of the replicas of the
 * controllers of the matching pods, a Deployment counted for its ReplicaSets; pods without a
 * controller are reported as unmanaged.
 */
final class ExpectedScale {

    /** The expected count and the names of pods that no controller owns. */
    record Count(int expected, List<String> unmanaged) {}

    private static final ResourceRegistry TYPES = ResourceRegistry.withBuiltins();

    private final Api api;
    private final ObjectCache replicaSets;
    private final ObjectCache deployments;
    private final ObjectCache statefulSets;

    ExpectedScale(Api api, ObjectCache replicaSets, ObjectCache deployments, ObjectCache statefulSets) {
        this.api = api;
        this.replicaSets = replicaSets;
        this.deployments = deployments;
        this.statefulSets = statefulSets;
    }

    /** @throws IllegalStateException with Kubernetes' message when a pod's controller cannot be found */
    Count of(List<ObjectNode> pods) {
        Map<String, Integer> scaleByUid = new HashMap<>();
        List<String> unmanaged = new ArrayList<>();
        for (ObjectNode pod : pods) {
            JsonNode ref = OwnerRefs.controllerOf(pod);
            if (ref == null) {
                unmanaged.add(Json.text(pod, "metadata", "name"));
                continue;
            }
            if (scaleByUid.containsKey(ref.path("uid").asText())) {
                continue;
            }
            Scale found = find(ref, Json.text(pod, "metadata", "namespace"))
                    .orElseThrow(() -> new IllegalStateException("found no controllers for pod \"" + Json.text(pod, "metadata", "name") + "\""));
            scaleByUid.put(found.uid(), found.replicas());
        }
        return new Count(scaleByUid.values().stream().mapToInt(Integer::intValue).sum(), unmanaged);
    }

    private record Scale(String uid, int replicas) {}

    private Optional<Scale> find(JsonNode ref, String ns) {
        String group = group(ref.path("apiVersion").asText());
        String kind = ref.path("kind").asText();
        String name = ref.path("name").asText();
        String uid = ref.path("uid").asText();
        if (kind.equals("ReplicaSet") && (group.equals("apps") || group.equals("extensions"))) {
            Optional<ObjectNode> rs = owned(replicaSets, ns, name, uid);
            if (rs.isEmpty()) {
                return Optional.empty();
            }
            JsonNode rsOwner = OwnerRefs.controllerOf(rs.get());
            if (rsOwner != null && rsOwner.path("kind").asText().equals("Deployment")) {
                Optional<ObjectNode> d = owned(deployments, ns, rsOwner.path("name").asText(), rsOwner.path("uid").asText());
                if (d.isPresent()) {
                    return d.map(ExpectedScale::scale);
                }
            }
            return rs.map(ExpectedScale::scale);
        }
        if (kind.equals("StatefulSet") && group.equals("apps")) {
            return owned(statefulSets, ns, name, uid).map(ExpectedScale::scale);
        }
        ResourceType type = TYPES.findKind(ref.path("apiVersion").asText(), kind).orElse(null);
        if (type == null) {
            return Optional.empty();
        }
        if (!type.hasScale()) {
            throw new IllegalStateException(type.qualifiedResource() + " does not implement the scale subresource");
        }
        return api.find(type, ns, name).filter(o -> uid.equals(Json.text(o, "metadata", "uid"))).map(ExpectedScale::scale);
    }

    private static Optional<ObjectNode> owned(ObjectCache cache, String ns, String name, String uid) {
        return cache.get(ns, name).filter(o -> uid.equals(Json.text(o, "metadata", "uid")));
    }

    private static Scale scale(ObjectNode controller) {
        return new Scale(Json.text(controller, "metadata", "uid"), controller.path("spec").path("replicas").asInt(1));
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
