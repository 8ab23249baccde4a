package io.capstan.agent.env;

import io.capstan.agent.PodObjects;
import io.capstan.agent.PodWarning;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        Map<String, ConfigMap> configMaps = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<PodWarning> warnings = new ArrayList<>();

        for (EnvFromSource from : list(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                var ref = from.getConfigMapRef();
                Optional<ConfigMap> cm = configMap(configMaps, namespace, ref.getName(), Boolean.TRUE.equals(ref.getOptional()));
                cm.ifPresent(c -> addAll(env, warnings, prefix, map(c.getData()), "configMap", namespace, ref.getName()));
            } else if (from.getSecretRef() != null) {
                var ref = from.getSecretRef();
                Optional<Secret> s = secret(secrets, namespace, ref.getName(), Boolean.TRUE.equals(ref.getOptional()));
                s.ifPresent(c -> addAll(env, warnings, prefix, decode(c.getData()), "secret", namespace, ref.getName()));
            }
        }

        for (EnvVar var : list(container.getEnv())) {
            String value = var.getValue() == null ? "" : var.getValue();
            if (!value.isEmpty()) {
                value = Expansion.expand(value, name -> env.containsKey(name) ? env.get(name) : serviceEnv.get(name));
            } else if (var.getValueFrom() != null) {
                Optional<String> fromSource = fromSource(var.getValueFrom(), pod, container, addresses, configMaps, secrets);
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
                                        Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return Optional.of(FieldRefs.envValue(source.getFieldRef(), pod, addresses));
        }
        if (source.getResourceFieldRef() != null) {
            return Optional.of(ResourceRefs.value(source.getResourceFieldRef(), pod, container, allocatable.get()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> cm = configMap(configMaps, namespace, ref.getName(), optional);
            if (cm.isEmpty()) {
                return Optional.empty();
            }
            String value = map(cm.get().getData()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = secret(secrets, namespace, ref.getName(), optional);
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            String value = decode(secret.get().getData()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigError("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.of("");
    }

    private Optional<ConfigMap> configMap(Map<String, ConfigMap> seen, String namespace, String name, boolean optional) {
        if (seen.containsKey(name)) {
            return Optional.of(seen.get(name));
        }
        Optional<ConfigMap> cm = objects.configMap(namespace, name);
        if (cm.isEmpty() && !optional) {
            throw new ContainerConfigError("configmap \"" + name + "\" not found");
        }
        cm.ifPresent(c -> seen.put(name, c));
        return cm;
    }

    private Optional<Secret> secret(Map<String, Secret> seen, String namespace, String name, boolean optional) {
        if (seen.containsKey(name)) {
            return Optional.of(seen.get(name));
        }
        Optional<Secret> s = objects.secret(namespace, name);
        if (s.isEmpty() && !optional) {
            throw new ContainerConfigError("secret \"" + name + "\" not found");
        }
        s.ifPresent(c -> seen.put(name, c));
        return s;
    }

    private static void addAll(Map<String, String> env, List<PodWarning> warnings, String prefix, Map<String, String> data,
                               String kind, String namespace, String name) {
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
                    + kind + " " + namespace + "/" + name + " were skipped since they are considered invalid environment variable names."));
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
        return m == null ? Map.of() : new java.util.TreeMap<>(m);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
