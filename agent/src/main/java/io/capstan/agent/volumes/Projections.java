package io.capstan.agent.volumes;

import io.capstan.agent.PodObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The volumes whose files the agent writes from API objects: configMap, secret, downwardAPI and projected. */
final class Projections {

    private final PodObjects objects;
    private final TokenSource tokens;
    private final Supplier<Map<String, Quantity>> allocatable;

    Projections(PodObjects objects, TokenSource tokens, Supplier<Map<String, Quantity>> allocatable) {
        this.objects = objects;
        this.tokens = tokens;
        this.allocatable = allocatable;
    }

    static boolean handles(Volume v) {
        return v.getConfigMap() != null || v.getSecret() != null || v.getDownwardAPI() != null || v.getProjected() != null;
    }

    /** The kubelet's plugin directory name for the volume's kind. */
    static String plugin(Volume v) {
        if (v.getConfigMap() != null) {
            return "kubernetes.io~configmap";
        }
        if (v.getSecret() != null) {
            return "kubernetes.io~secret";
        }
        return v.getDownwardAPI() != null ? "kubernetes.io~downward-api" : "kubernetes.io~projected";
    }

    /** Writes the volume's files into {@code dir} (atomically, only when changed); returns whether anything was written. */
    boolean write(Pod pod, Volume volume, Path dir) {
        Map<String, FileProjection> payload;
        try {
            payload = payload(pod, volume);
        } catch (Payloads.VolumePayloadError e) {
            throw VolumeError.setUpFailed(volume.getName(), e.getMessage());
        }
        try {
            return new AtomicWriter(dir).write(payload);
        } catch (IllegalArgumentException e) {
            throw VolumeError.setUpFailed(volume.getName(), e.getMessage());
        }
    }

    private Map<String, FileProjection> payload(Pod pod, Volume volume) {
        String ns = pod.getMetadata().getNamespace();
        if (volume.getConfigMap() != null) {
            var s = volume.getConfigMap();
            boolean optional = Boolean.TRUE.equals(s.getOptional());
            return Payloads.configMap(s.getItems(), configMap(ns, s.getName(), optional), mode(s.getDefaultMode()), optional);
        }
        if (volume.getSecret() != null) {
            var s = volume.getSecret();
            boolean optional = Boolean.TRUE.equals(s.getOptional());
            return Payloads.secret(s.getItems(), secret(ns, s.getSecretName(), optional), mode(s.getDefaultMode()), optional);
        }
        if (volume.getDownwardAPI() != null) {
            var s = volume.getDownwardAPI();
            return Payloads.downwardApi(s.getItems(), pod, mode(s.getDefaultMode()), allocatable.get());
        }
        return projected(pod, volume.getProjected().getSources(), mode(volume.getProjected().getDefaultMode()));
    }

    // Every source is tried and every failure reported together, as the kubelet's projected plugin does.
    private Map<String, FileProjection> projected(Pod pod, List<VolumeProjection> sources, int defaultMode) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, FileProjection> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (VolumeProjection source : sources == null ? List.<VolumeProjection>of() : sources) {
            try {
                if (source.getConfigMap() != null) {
                    var s = source.getConfigMap();
                    boolean optional = Boolean.TRUE.equals(s.getOptional());
                    out.putAll(Payloads.configMap(s.getItems(), configMap(ns, s.getName(), optional), defaultMode, optional));
                } else if (source.getSecret() != null) {
                    var s = source.getSecret();
                    boolean optional = Boolean.TRUE.equals(s.getOptional());
                    out.putAll(Payloads.secret(s.getItems(), secret(ns, s.getName(), optional), defaultMode, optional));
                } else if (source.getDownwardAPI() != null) {
                    out.putAll(Payloads.downwardApi(source.getDownwardAPI().getItems(), pod, defaultMode, allocatable.get()));
                } else if (source.getServiceAccountToken() != null) {
                    var t = source.getServiceAccountToken();
                    List<String> audiences = t.getAudience() == null || t.getAudience().isEmpty() ? List.of() : List.of(t.getAudience());
                    String token = tokens.token(ns, pod.getSpec().getServiceAccountName(), audiences, t.getExpirationSeconds(),
                            pod.getMetadata().getName(), pod.getMetadata().getUid());
                    out.put(t.getPath(), FileProjection.of(token, defaultMode));
                }
            } catch (Payloads.VolumePayloadError | VolumeError e) {
                errors.add(e.getMessage());
            } catch (RuntimeException e) {
                errors.add(String.valueOf(e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new Payloads.VolumePayloadError(errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]");
        }
        return out;
    }

    private ConfigMap configMap(String ns, String name, boolean optional) {
        Optional<ConfigMap> cm = objects.configMap(ns, name);
        if (cm.isEmpty() && !optional) {
            throw new Payloads.VolumePayloadError("configmap \"" + name + "\" not found");
        }
        return cm.orElse(null);
    }

    private Secret secret(String ns, String name, boolean optional) {
        Optional<Secret> s = objects.secret(ns, name);
        if (s.isEmpty() && !optional) {
            throw new Payloads.VolumePayloadError("secret \"" + name + "\" not found");
        }
        return s.orElse(null);
    }

    private static int mode(Integer defaultMode) {
        return defaultMode == null ? Payloads.DEFAULT_MODE : defaultMode;
    }
}
