package io.capstan.agent.env;

import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The downward API's pod fields (fieldRef), as the kubelet's podFieldSelectorRuntimeValue and fieldpath package read them. */
public final class FieldRefs {

    private static final Set<String> SUPPORTED = Set.of("metadata.annotations", "metadata.labels", "metadata.name",
            "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
            "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");

    private FieldRefs() {}

    /** A field of the pod for an environment variable: metadata, spec.nodeName/serviceAccountName and the pod's and host's IPs. */
    public static String envValue(ObjectFieldSelector selector, Pod pod, PodAddresses addresses) {
        String path = checkSupported(selector);
        return switch (path) {
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP" -> addresses.hostIPs().isEmpty() ? "" : addresses.hostIPs().getFirst();
            case "status.hostIPs" -> String.join(",", addresses.hostIPs());
            case "status.podIP" -> addresses.podIPs().isEmpty() ? "" : addresses.podIPs().getFirst();
            case "status.podIPs" -> String.join(",", addresses.podIPs());
            default -> metadataValue(pod, path);
        };
    }

    /** A metadata field for a downwardAPI volume file: name, namespace, uid, labels, annotations (whole or one key). */
    public static String volumeValue(ObjectFieldSelector selector, Pod pod) {
        return metadataValue(pod, checkSupported(selector));
    }

    private static String checkSupported(ObjectFieldSelector selector) {
        String version = selector.getApiVersion() == null || selector.getApiVersion().isEmpty() ? "v1" : selector.getApiVersion();
        String path = selector.getFieldPath();
        if (!version.equals("v1")) {
            throw new ContainerConfigError("unsupported pod version: " + version);
        }
        if (!SUPPORTED.contains(path) && subscript(path) == null) {
            throw new ContainerConfigError("field label not supported: " + path);
        }
        return path;
    }

    // fieldpath.ExtractFieldPathAsString for a pod's metadata.
    private static String metadataValue(Pod pod, String path) {
        var meta = pod.getMetadata();
        String[] sub = subscript(path);
        if (sub != null) {
            return switch (sub[0]) {
                case "metadata.annotations" -> nullToEmpty(orEmpty(meta.getAnnotations()).get(sub[1]));
                case "metadata.labels" -> nullToEmpty(orEmpty(meta.getLabels()).get(sub[1]));
                default -> throw new ContainerConfigError("fieldPath \"" + path + "\" does not support subscript");
            };
        }
        return switch (path) {
            case "metadata.annotations" -> formatMap(orEmpty(meta.getAnnotations()));
            case "metadata.labels" -> formatMap(orEmpty(meta.getLabels()));
            case "metadata.name" -> nullToEmpty(meta.getName());
            case "metadata.namespace" -> nullToEmpty(meta.getNamespace());
            case "metadata.uid" -> nullToEmpty(meta.getUid());
            default -> throw new ContainerConfigError("unsupported fieldPath: " + path);
        };
    }

    /** {@code metadata.labels['k']} as {path, key}; null when not subscripted. */
    private static String[] subscript(String path) {
        if (!path.endsWith("']")) {
            return null;
        }
        int open = path.indexOf("['");
        if (open <= 0) {
            return null;
        }
        return new String[] {path.substring(0, open), path.substring(open + 2, path.length() - 2)};
    }

    /** The kubelet's FormatMap: {@code key="value"} lines sorted by key, values quoted as Go's %q does. */
    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(map).forEach((k, v) -> out.append(k).append('=').append(goQuote(v)).append('\n'));
        return out.isEmpty() ? "" : out.substring(0, out.length() - 1);
    }

    static String goQuote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
