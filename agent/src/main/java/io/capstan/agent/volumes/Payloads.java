package io.capstan.agent.volumes;

import io.capstan.agent.env.ContainerConfigError;
import io.capstan.agent.env.FieldRefs;
import io.capstan.agent.env.ResourceRefs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The files of configMap, secret and downwardAPI volumes (and projections), as the kubelet's MakePayload and CollectData build them. */
final class Payloads {

    static final int DEFAULT_MODE = 0644;

    private Payloads() {}

    /** Every key as a file, or only the listed items; a missing item key fails unless optional. */
    static Map<String, FileProjection> configMap(List<KeyToPath> items, ConfigMap cm, int defaultMode, boolean optional) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (cm != null) {
            orEmpty(cm.getData()).forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
            orEmpty(cm.getBinaryData()).forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return payload(items, data, defaultMode, optional, "configmap references non-existent config key: ");
    }

    static Map<String, FileProjection> secret(List<KeyToPath> items, Secret secret, int defaultMode, boolean optional) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret != null) {
            orEmpty(secret.getData()).forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        return payload(items, data, defaultMode, optional, "references non-existent secret key: ");
    }

    private static Map<String, FileProjection> payload(List<KeyToPath> items, Map<String, byte[]> data, int defaultMode, boolean optional,
                                                       String missing) {
        Map<String, FileProjection> out = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> out.put(k, new FileProjection(v, defaultMode)));
            return out;
        }
        for (KeyToPath item : items) {
            byte[] bytes = data.get(item.getKey());
            if (bytes == null) {
                if (optional) {
                    continue;
                }
                throw new VolumePayloadError(missing + item.getKey());
            }
            out.put(item.getPath(), new FileProjection(bytes, item.getMode() != null ? item.getMode() : defaultMode));
        }
        return out;
    }

    /** The downward API's files: pod metadata (fieldRef) and container resources (resourceFieldRef); every error is reported. */
    static Map<String, FileProjection> downwardApi(List<DownwardAPIVolumeFile> items, Pod pod, int defaultMode, Map<String, Quantity> allocatable) {
        Map<String, FileProjection> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            int mode = item.getMode() != null ? item.getMode() : defaultMode;
            String value = "";
            try {
                if (item.getFieldRef() != null) {
                    value = FieldRefs.volumeValue(item.getFieldRef(), pod);
                } else if (item.getResourceFieldRef() != null) {
                    value = ResourceRefs.value(item.getResourceFieldRef(), pod, null, allocatable);
                }
            } catch (ContainerConfigError e) {
                errors.add(e.getMessage());
            }
            out.put(Path.of(item.getPath()).normalize().toString(), FileProjection.of(value, mode));
        }
        if (!errors.isEmpty()) {
            throw new VolumePayloadError(errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
        }
        return out;
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : new TreeMap<>(m);
    }

    /** A payload cannot be built; the caller names the volume. */
    static final class VolumePayloadError extends RuntimeException {
        VolumePayloadError(String message) {
            super(message);
        }
    }
}
