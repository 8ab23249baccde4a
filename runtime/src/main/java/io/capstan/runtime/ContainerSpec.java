package io.capstan.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a runtime needs to create one container, already resolved by the caller: the command
 * line (argv[0] is looked up in PATH from {@code env}), environment as {@code NAME=value}, mounts,
 * user, security settings and cgroup limits.
 *
 * @param name unique within its sandbox
 * @param labels kept with the container and returned by {@link ContainerStatus} (the agent keeps the pod uid, container name and restart count here)
 * @param rootfs a prepared root filesystem (see {@code ImageStore.prepareRootfs}); null for the process runtime, which uses the host's
 * @param logPath where the container's stdout and stderr go, in the CRI log format
 */
public record ContainerSpec(String name, Map<String, String> labels, Path rootfs, List<String> args, List<String> env,
                            String workingDir, User user, List<Mount> mounts, Security security, Resources resources,
                            boolean tty, boolean stdin, boolean stdinOnce, Path logPath) {

    public ContainerSpec {
        labels = Map.copyOf(labels);
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
    }

    /** The numeric identity the process runs as; {@code gid} -1 means the user's primary group from the image. */
    public record User(long uid, long gid, List<Long> additionalGids) {

        public static final User ROOT = new User(0, 0, List.of());

        public User {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    /** A mount into the container; {@code options} as in the OCI runtime spec (e.g. rbind, ro, nosuid). */
    public record Mount(String destination, String type, String source, List<String> options) {

        public Mount {
            options = List.copyOf(options);
        }

        /** A bind mount of a host path, read-only or not. */
        public static Mount bind(Path source, String destination, boolean readOnly) {
            return new Mount(destination, "bind", source.toString(), readOnly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
        }
    }

    /**
     * Security settings. Capabilities are names without the {@code CAP_} prefix as Kubernetes writes them
     * ("NET_ADMIN"); "ALL" in drop drops every capability.
     */
    public record Security(boolean privileged, boolean readOnlyRootfs, boolean noNewPrivileges,
                           List<String> addCapabilities, List<String> dropCapabilities) {

        public static final Security DEFAULT = new Security(false, false, false, List.of(), List.of());

        public Security {
            addCapabilities = List.copyOf(addCapabilities);
            dropCapabilities = List.copyOf(dropCapabilities);
        }
    }

    /**
     * cgroup limits, as the kubelet computes them from requests and limits: cpu shares (2 minimum), CFS quota
     * and period in microseconds (quota 0 = unlimited), memory and pids (0 = unlimited).
     */
    public record Resources(long cpuShares, long cpuQuotaMicros, long cpuPeriodMicros, long memoryLimitBytes, long pidsLimit) {

        public static final Resources NONE = new Resources(2, 0, 100_000, 0, 0);
    }
}
