package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.store.Store;
import java.util.Random;

/**
 * The ServiceAccount admission plugin on pod create: the pod runs as service account default unless
 * it names one, and unless automountServiceAccountToken is false (on the pod, else on the service
 * account) it gets the projected volume kube-api-access-XXXXX (a bound token, the cluster CA, the
 * namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every container.
 * Unlike Kubernetes a missing service account does not refuse the pod: the node retries the token until it exists.
 */
final class ServiceAccountAdmission {

    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String VOLUME_PREFIX = "kube-api-access-";
    static final long TOKEN_SECONDS = 3607;
    /** Kubernetes' utilrand alphabet: no vowels, no look-alikes. */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private ServiceAccountAdmission() {}

    static void admit(ObjectNode pod, Store store, Random random) {
        if (Json.text(pod, "metadata", "annotations", "kubernetes.io/config.mirror") != null) {
            return; // mirror pods are the node's, not the API's
        }
        ObjectNode spec = Json.with(pod, "spec");
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            name = spec.path("serviceAccount").asText("");
        }
        if (name.isEmpty()) {
            name = "default";
        }
        spec.put("serviceAccountName", name);
        spec.put("serviceAccount", name); // the deprecated alias, as v1 conversion fills it
        String ns = Json.text(pod, "metadata", "namespace");
        JsonNode sa = store.get(Keys.key(Kinds.SERVICE_ACCOUNTS, ns, name)).map(ObjectCodec::decode).orElse(null);
        if (!automount(spec, sa) || mountedEverywhere(spec)) {
            return;
        }
        StringBuilder volumeName = new StringBuilder(VOLUME_PREFIX);
        for (int i = 0; i < 5; i++) {
            volumeName.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        arrayOf(spec, "volumes").add(volume(volumeName.toString()));
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container && !mounts(container)) {
                    arrayOf(container, "volumeMounts").add(Json.object().put("name", volumeName.toString()).put("readOnly", true)
                            .put("mountPath", MOUNT_PATH));
                }
            }
        }
    }

    private static boolean automount(JsonNode spec, JsonNode sa) {
        if (spec.has("automountServiceAccountToken") && spec.get("automountServiceAccountToken").isBoolean()) {
            return spec.get("automountServiceAccountToken").asBoolean();
        }
        return sa == null || !sa.path("automountServiceAccountToken").isBoolean() || sa.get("automountServiceAccountToken").asBoolean();
    }

    /** A pod that already mounts something at the token path in every container gets nothing more. */
    private static boolean mountedEverywhere(JsonNode spec) {
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (!mounts(c)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean mounts(JsonNode container) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(MOUNT_PATH)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode volume(String name) {
        ObjectNode projected = Json.object();
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_SECONDS).put("path", "token");
        sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt").putArray("items")
                .addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
        ObjectNode volume = Json.object().put("name", name);
        volume.set("projected", projected);
        return volume;
    }

    private static ArrayNode arrayOf(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing != null && existing.isArray() ? (ArrayNode) existing : parent.putArray(field);
    }
}
