package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.agent.env.ContainerConfigError;
import io.capstan.agent.env.Expansion;
import io.capstan.api.Quantities;
import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a pod's container into what the runtime runs: command line, environment, user, security and cgroup limits. */
final class ContainerSpecs {

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ContainerSpecs() {}

    /** Kubernetes' rule: command replaces the image's entrypoint, args its cmd; args alone keep the entrypoint. */
    static List<String> commandLine(JsonNode container, ImageConfig image, Map<String, String> env) {
        List<String> command = strings(container.path("command"));
        List<String> args = strings(container.path("args"));
        List<String> line = new ArrayList<>();
        if (!command.isEmpty()) {
            line.addAll(command);
            line.addAll(args);
        } else {
            line.addAll(image.entrypoint());
            line.addAll(args.isEmpty() ? image.cmd() : args);
        }
        return line.stream().map(s -> Expansion.expand(s, env::get)).toList();
    }

    /** The image's environment overridden by the container's (already resolved) variables, with a PATH and HOSTNAME. */
    static List<String> environment(ImageConfig image, Map<String, String> containerEnv, String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH.substring(5));
        for (String kv : image.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        env.put("HOSTNAME", hostname);
        env.putAll(containerEnv);
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * The user from the container's, then the pod's securityContext, else the image's USER (a number, or a
     * name looked up in the root filesystem's /etc/passwd). Refuses root under runAsNonRoot, as the kubelet does.
     */
    static ContainerSpec.User user(JsonNode pod, JsonNode container, ImageConfig image, Path rootfs) {
        JsonNode podSc = pod.path("spec").path("securityContext");
        JsonNode sc = container.path("securityContext");
        Long uid = number(sc, podSc, "runAsUser");
        Long gid = number(sc, podSc, "runAsGroup");
        String imageUser = image.user() == null ? "" : image.user();
        if (uid == null) {
            String[] parts = imageUser.isEmpty() ? new String[] {"0"} : imageUser.split(":", 2);
            long[] resolved = lookupUser(parts[0], rootfs);
            uid = resolved[0];
            if (gid == null) {
                gid = parts.length > 1 ? lookupGroup(parts[1], rootfs) : resolved[1];
            }
        }
        if (gid == null) {
            gid = lookupUser(Long.toString(uid), rootfs)[1];
        }
        boolean nonRoot = sc.path("runAsNonRoot").asBoolean(podSc.path("runAsNonRoot").asBoolean(false));
        if (nonRoot && uid == 0) {
            throw new ContainerConfigError(sc.has("runAsUser") || podSc.has("runAsUser")
                    ? "container's runAsUser breaks non-root policy (pod: \"" + podLabel(pod) + "\", container: "
                            + container.path("name").asText() + ")"
                    : "container has runAsNonRoot and image will run as root (pod: \"" + podLabel(pod) + "\", container: "
                            + container.path("name").asText() + ")");
        }
        List<Long> groups = new ArrayList<>();
        podSc.path("supplementalGroups").forEach(g -> groups.add(g.asLong()));
        if (podSc.has("fsGroup")) {
            groups.add(podSc.path("fsGroup").asLong());
        }
        return new ContainerSpec.User(uid, gid, groups);
    }

    static ContainerSpec.Security security(JsonNode container) {
        JsonNode sc = container.path("securityContext");
        boolean privileged = sc.path("privileged").asBoolean(false);
        boolean noNewPrivileges = sc.has("allowPrivilegeEscalation") && !sc.path("allowPrivilegeEscalation").asBoolean() && !privileged;
        return new ContainerSpec.Security(privileged, sc.path("readOnlyRootFilesystem").asBoolean(false), noNewPrivileges,
                strings(sc.path("capabilities").path("add")), strings(sc.path("capabilities").path("drop")));
    }

    /** cgroup limits as the kubelet derives them: shares from the CPU request, CFS quota from the CPU limit, memory from its limit. */
    static ContainerSpec.Resources resources(JsonNode container) {
        JsonNode requests = container.path("resources").path("requests");
        JsonNode limits = container.path("resources").path("limits");
        long period = 100_000;
        long cpuRequest = requests.hasNonNull("cpu") ? Quantities.milli(requests.path("cpu").asText())
                : limits.hasNonNull("cpu") ? Quantities.milli(limits.path("cpu").asText()) : 0;
        long shares = Math.max(2, cpuRequest * 1024 / 1000);
        long quota = limits.hasNonNull("cpu") ? Math.max(1000, Quantities.milli(limits.path("cpu").asText()) * period / 1000) : 0;
        long memory = limits.hasNonNull("memory") ? Quantities.value(limits.path("memory").asText()) : 0;
        return new ContainerSpec.Resources(shares, quota, period, memory, 0);
    }

    private static Long number(JsonNode sc, JsonNode podSc, String field) {
        if (sc.hasNonNull(field)) {
            return sc.path(field).asLong();
        }
        return podSc.hasNonNull(field) ? podSc.path(field).asLong() : null;
    }

    /** {uid, gid} for a user name or number from ROOTFS/etc/passwd; a number not listed runs with gid 0. */
    private static long[] lookupUser(String user, Path rootfs) {
        for (String[] entry : entries(rootfs, "etc/passwd")) {
            if (entry.length > 3 && (entry[0].equals(user) || entry[2].equals(user))) {
                return new long[] {Long.parseLong(entry[2]), Long.parseLong(entry[3])};
            }
        }
        try {
            return new long[] {Long.parseLong(user), 0};
        } catch (NumberFormatException e) {
            throw new ContainerConfigError("unable to find user " + user + ": no matching entries in passwd file");
        }
    }

    private static long lookupGroup(String group, Path rootfs) {
        for (String[] entry : entries(rootfs, "etc/group")) {
            if (entry.length > 2 && (entry[0].equals(group) || entry[2].equals(group))) {
                return Long.parseLong(entry[2]);
            }
        }
        try {
            return Long.parseLong(group);
        } catch (NumberFormatException e) {
            throw new ContainerConfigError("unable to find group " + group + ": no matching entries in group file");
        }
    }

    private static List<String[]> entries(Path rootfs, String file) {
        if (rootfs == null) {
            return List.of();
        }
        try {
            return Files.readAllLines(rootfs.resolve(file)).stream().map(l -> l.split(":")).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String podLabel(JsonNode pod) {
        return pod.path("metadata").path("name").asText() + "_" + pod.path("metadata").path("namespace").asText() + "("
                + pod.path("metadata").path("uid").asText() + ")";
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
