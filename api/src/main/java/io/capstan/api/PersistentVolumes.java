package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How Kubernetes pairs PersistentVolumes with PersistentVolumeClaims (pkg/volume/util and the PV
 * controller's findMatchingVolume): class, access modes, volume mode, capacity, selector, node
 * affinity, and the annotations the binding leaves. Shared by the volume binder and the scheduler.
 */
public final class PersistentVolumes {

    public static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    public static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    public static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
    public static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    public static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
    public static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
    public static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
    public static final String BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";
    /** The provisioner of classes whose volumes an administrator creates by hand. */
    public static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
    public static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";
    /** Finalizers that keep a claim while pods use it, and a volume while it is bound (StorageObjectInUseProtection). */
    public static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
    public static final String PV_PROTECTION = "kubernetes.io/pv-protection";

    private PersistentVolumes() {}

    /** The claim's (or volume's) class: the beta annotation wins over spec.storageClassName; "" for none. */
    public static String storageClass(JsonNode object) {
        JsonNode annotation = object.path("metadata").path("annotations").path(BETA_STORAGE_CLASS);
        return annotation.isTextual() ? annotation.asText() : object.path("spec").path("storageClassName").asText("");
    }

    /** Whether the class delays binding until a pod using the claim is scheduled. */
    public static boolean waitsForFirstConsumer(JsonNode storageClass) {
        return storageClass != null && WAIT_FOR_FIRST_CONSUMER.equals(storageClass.path("volumeBindingMode").asText());
    }

    /** Whether the class names a provisioner that can create volumes (not none, not kubernetes.io/no-provisioner). */
    public static boolean provisions(JsonNode storageClass) {
        String provisioner = storageClass == null ? "" : storageClass.path("provisioner").asText("");
        return !provisioner.isEmpty() && !provisioner.equals(NO_PROVISIONER);
    }

    public static String annotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").path(key).asText("");
    }

    /** The storage a claim requests, in milli-bytes (0 when it asks for none). */
    public static long requested(JsonNode claim) {
        return milli(claim.path("spec").path("resources").path("requests").path("storage"));
    }

    /** A volume's capacity, in milli-bytes. */
    public static long capacity(JsonNode volume) {
        return milli(volume.path("spec").path("capacity").path("storage"));
    }

    /** Whether the volume's claimRef names this claim (namespace and name, and uid when the ref has one). */
    public static boolean isBoundTo(JsonNode volume, JsonNode claim) {
        JsonNode ref = volume.path("spec").path("claimRef");
        JsonNode meta = claim.path("metadata");
        if (!ref.isObject() || !ref.path("name").asText().equals(meta.path("name").asText())
                || !ref.path("namespace").asText().equals(meta.path("namespace").asText())) {
            return false;
        }
        String uid = ref.path("uid").asText("");
        return uid.isEmpty() || uid.equals(meta.path("uid").asText());
    }

    /**
     * Whether the volume can serve the claim, whoever else wants it: {@link #mismatch} finds nothing
     * and the claim's selector accepts the volume's labels.
     */
    public static boolean satisfies(JsonNode volume, JsonNode claim) {
        JsonNode selector = claim.path("spec").path("selector");
        return mismatch(volume, claim) == null && (!selector.isObject() || LabelSelector.fromJson(selector).matches(volume));
    }

    /**
     * Why the volume cannot serve the claim in the PV controller's words (checkVolumeSatisfyClaim):
     * too small, another class, an access mode or volume mode it lacks; null when it can.
     */
    public static String mismatch(JsonNode volume, JsonNode claim) {
        JsonNode spec = claim.path("spec");
        if (capacity(volume) < requested(claim)) {
            return "requested PV is too small";
        }
        if (!storageClass(volume).equals(storageClass(claim))) {
            return "storageClassName does not match";
        }
        Set<String> offered = new HashSet<>();
        volume.path("spec").path("accessModes").forEach(m -> offered.add(m.asText()));
        for (JsonNode mode : spec.path("accessModes")) {
            if (!offered.contains(mode.asText())) {
                return "incompatible accessMode";
            }
        }
        if (!volume.path("spec").path("volumeMode").asText("Filesystem").equals(spec.path("volumeMode").asText("Filesystem"))) {
            return "incompatible volumeMode";
        }
        return null;
    }

    /** Whether the volume may be used on the node: no required node affinity, or one the node meets. */
    public static boolean allowsNode(JsonNode volume, String nodeName, Map<String, String> labels) {
        JsonNode terms = volume.path("spec").path("nodeAffinity").path("required").path("nodeSelectorTerms");
        return terms.isMissingNode() || NodeSelectorTerms.anyMatches(terms, nodeName, labels);
    }

    /**
     * The volume for an unbound claim: one pre-bound to it if any, else the smallest Available,
     * unclaimed volume that satisfies it and passes {@code usable} (e.g. node affinity); null when none.
     */
    public static JsonNode bestMatch(JsonNode claim, Iterable<? extends JsonNode> volumes, Predicate<JsonNode> usable) {
        JsonNode best = null;
        for (JsonNode volume : volumes) {
            if (volume.path("metadata").hasNonNull("deletionTimestamp") || !satisfies(volume, claim)) {
                continue;
            }
            if (isBoundTo(volume, claim)) {
                return volume;
            }
            if (volume.path("spec").path("claimRef").isObject() || !"Available".equals(volume.path("status").path("phase").asText())
                    || !usable.test(volume)) {
                continue;
            }
            if (best == null || capacity(volume) < capacity(best)) {
                best = volume;
            }
        }
        return best;
    }

    private static long milli(JsonNode quantity) {
        if (!quantity.isTextual() && !quantity.isNumber()) {
            return 0;
        }
        try {
            return Quantities.milli(quantity.asText());
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
