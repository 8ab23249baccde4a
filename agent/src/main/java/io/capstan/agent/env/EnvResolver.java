package io.capstan.agent.env;

import io.capstan.agent.PodObjects;
import io.capstan.agent.PodWarning;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A container's environment from its pod spec, as the kubelet's makeEnvironmentVariables builds it: envFrom first
 * (later sources win, keys with a prefix, invalid names skipped and reported), then env in order, each value
 * expanded against the variables before it and the service variables, or read from its source. The image's own
 * environment and the service variables themselves come from the caller.
 */
public final class EnvResolver {

    // validation.IsEnvVarName: alphabetic characters, digits, '_', '-' or '.', not starting with a digit.
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final PodObjects objects;
    private final Supplier<Map<String, Quantity>> allocatable;

    /** @param allocatable the node's allocatable resources, the limit of a container that sets none */
    public EnvResolver(PodObjects objects, Supplier<Map<String, Quantity>> allocatable) {
        this.objects = objects;
        this.allocatable = allocatable;
    }

    /** The environment as {@code NAME=value} lines, and the warning events the kubelet would record on the pod. */
    public record Resolved(List<String> env, List<PodWarning> warnings) {

        public Resolved {
            env = List.copyOf(env);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Resolves {@code container}'s environment.
     *
     * @param serviceEnv the service link variables (KUBERNETES_SERVICE_HOST, ...): references may expand to them,
     *     and those the container does not set itself are appended
     * @throws ContainerConfigError with the kubelet's message when a ConfigMap, Secret or key is missing
     */
    public Resolved resolve(Pod pod, Container container, PodAddresses addresses, Map<String, String> serviceEnv) {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, Map<String, String>> seen = new HashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<PodWarning> warnings = new ArrayList<>();

        for (EnvFromSource from : list(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                data(Kind.CONFIG_MAP, seen, namespace, ref.getName(), Boolean.TRUE.equals(ref.getOptional()))
                        .ifPresent(d -> addAll(env, warnings, prefix, d, Kind.CONFIG_MAP, namespace, ref.getName()));
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                data(Kind.SECRET, seen, namespace, ref.getName(), Boolean.TRUE.equals(ref.getOptional()))
                        .ifPresent(d -> addAll(env, warnings, prefix, d, Kind.SECRET, namespace, ref.getName()));
            }
        }

        for (EnvVar var : list(container.getEnv())) {
            String value = var.getValue() == null ? "" : var.getValue();
            if (!value.isEmpty()) {
                value = Expansion.expand(value, name -> env.containsKey(name) ? env.get(name) : serviceEnv.get(name));
            } else if (var.getValueFrom() != null) {
                Optional<String> fromSource = fromSource(var.getValueFrom(), pod, container, addresses, seen);
                if (fromSource.isEmpty()) {
                    continue;
                }
                value = fromSource.get();
            }
            env.put(var.getName(), value);
        }

        List<String> lines = new ArrayList<>();
        env.forEach((k, v) -> lines.add(k + "=" + v));
        serviceEnv.forEach((k, v) -> {
            if (!env.containsKey(k)) {
                lines.add(k + "=" + v);
            }
        });
        return new Resolved(lines, warnings);
    }

    /** The value of a valueFrom source; empty when an optional source or key is missing (the variable is left out). */
    private Optional<String> fromSource(EnvVarSource source, Pod pod, Container container, PodAddresses addresses,
                                        Map<String, Map<String, String>> seen) {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return Optional.of(FieldRefs.envValue(source.getFieldRef(), pod, addresses));
        }
        if (source.getResourceFieldRef() != null) {
            return Optional.of(ResourceRefs.value(source.getResourceFieldRef(), pod, container, allocatable.get()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            return keyRef(Kind.CONFIG_MAP, seen, namespace, ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()));
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            return keyRef(Kind.SECRET, seen, namespace, ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()));
        }
        return Optional.of("");
    }

    /** Where environment values come from, with the words the kubelet's messages use for each. */
    private enum Kind {
        CONFIG_MAP("configmap", "ConfigMap", "configMap"), SECRET("secret", "Secret", "secret");

        final String resource;
        final String kindName;
        final String envFromName;

        Kind(String resource, String kindName, String envFromName) {
            this.resource = resource;
            this.kindName = kindName;
            this.envFromName = envFromName;
        }
    }

    private Optional<String> keyRef(Kind kind, Map<String, Map<String, String>> seen, String namespace, String name, String key,
                                    boolean optional) {
        Optional<Map<String, String>> data = data(kind, seen, namespace, name, optional);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        String value = data.get().get(key);
        if (value == null && !optional) {
            throw new ContainerConfigError("couldn't find key " + key + " in " + kind.kindName + " " + namespace + "/" + name);
        }
        return Optional.ofNullable(value);
    }

    /** A ConfigMap's or Secret's data (decoded), read once per container; empty when it is missing and optional. */
    private Optional<Map<String, String>> data(Kind kind, Map<String, Map<String, String>> seen, String namespace, String name,
                                               boolean optional) {
        String cacheKey = kind.resource + "/" + name;
        if (seen.containsKey(cacheKey)) {
            return Optional.of(seen.get(cacheKey));
        }
        Optional<Map<String, String>> data = kind == Kind.CONFIG_MAP
                ? objects.configMap(namespace, name).map(cm -> map(cm.getData()))
                : objects.secret(namespace, name).map(secret -> decode(secret.getData()));
        if (data.isEmpty() && !optional) {
            throw new ContainerConfigError(kind.resource + " \"" + name + "\" not found");
        }
        data.ifPresent(d -> seen.put(cacheKey, d));
        return data;
    }

    private static void addAll(Map<String, String> env, List<PodWarning> warnings, String prefix, Map<String, String> data,
                               Kind kind, String namespace, String name) {
        List<String> invalid = new ArrayList<>();
        data.forEach((k, v) -> {
            String key = prefix + k;
            if (ENV_VAR_NAME.matcher(key).matches()) {
                env.put(key, v);
            } else {
                invalid.add(key);
            }
        });
        if (!invalid.isEmpty()) {
            invalid.sort(null);
            warnings.add(new PodWarning("InvalidEnvironmentVariableNames", "Keys [" + String.join(", ", invalid) + "] from the EnvFrom "
                    + kind.envFromName + " " + namespace + "/" + name + " were skipped since they are considered invalid environment variable names."));
        }
    }

    /** Whether {@code name} is a valid environment variable name (Kubernetes' IsEnvVarName). */
    public static boolean validName(String name) {
        return ENV_VAR_NAME.matcher(name).matches();
    }

    /** A Secret's data, decoded from base64 (as UTF-8 text: environment values are strings). */
    static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> out = new LinkedHashMap<>();
        map(data).forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : new TreeMap<>(m);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
