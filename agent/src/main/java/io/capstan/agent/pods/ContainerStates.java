package io.capstan.agent.pods;

import io.capstan.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Turns what the runtime says of a container into the state the API shows, worded as the kubelet words it. */
public final class ContainerStates {

    private ContainerStates() {}

    /**
     * The API state of a container the runtime knows: running, terminated (reason OOMKilled when the runtime says so,
     * else Completed for exit 0 and Error otherwise) or, when created but not started, waiting ContainerCreating.
     *
     * @param containerId the id as the API shows it, e.g. {@code cri-o://abc}
     * @param message the termination message (from the termination-log file or the log tail), may be null
     */
    public static ContainerState of(ContainerStatus status, String containerId, String message) {
        return switch (status.state()) {
            case RUNNING -> new ContainerStateBuilder().withNewRunning().withStartedAt(time(status.startedAt())).endRunning().build();
            case EXITED -> new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(status.exitCode())
                    .withReason(terminatedReason(status))
                    .withMessage(message == null || message.isEmpty() ? null : message)
                    .withStartedAt(time(status.startedAt()))
                    .withFinishedAt(time(status.finishedAt()))
                    .withContainerID(containerId)
                    .endTerminated().build();
            case CREATED, UNKNOWN -> waiting("ContainerCreating", null);
        };
    }

    /** Completed, Error, or the runtime's own reason (OOMKilled). */
    public static String terminatedReason(ContainerStatus status) {
        if (status.reason() != null && !status.reason().isEmpty()) {
            return status.reason();
        }
        return status.exitCode() == 0 ? "Completed" : "Error";
    }

    /** Waiting with a reason and message (null for none). */
    public static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    /** Waiting CrashLoopBackOff with the kubelet's message. */
    public static ContainerState crashLoopBackOff(Duration backOff, String containerName, Pod pod) {
        return waiting("CrashLoopBackOff", crashLoopMessage(backOff, containerName, pod));
    }

    /** {@code back-off 40s restarting failed container=NAME pod=NAME_NAMESPACE(UID)}, as the kubelet's doBackOff words it. */
    public static String crashLoopMessage(Duration backOff, String containerName, Pod pod) {
        return "back-off " + goDuration(backOff) + " restarting failed container=" + containerName + " pod=" + formatPod(pod);
    }

    /** The message of the kubelet's BackOff event for a container it will not restart yet. */
    public static String backOffEventMessage(String containerName, Pod pod) {
        return "Back-off restarting failed container " + containerName + " in pod " + formatPod(pod);
    }

    /** The kubelet's format.Pod: {@code name_namespace(uid)}. */
    public static String formatPod(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")";
    }

    /** A time as the API writes it: RFC 3339 in UTC, whole seconds; null for null. */
    public static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A duration as Go's time.Duration.String() prints it: 10s, 1m20s, 5m0s, 1h0m0s, 500ms. */
    public static String goDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            long nanos = d.toNanos();
            if (nanos % 1_000_000 == 0) {
                return nanos / 1_000_000 + "ms";
            }
            return nanos % 1000 == 0 ? nanos / 1000 + "µs" : nanos + "ns";
        }
        StringBuilder out = new StringBuilder();
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(d.toSecondsPart());
        int nanos = d.toNanosPart();
        if (nanos != 0) {
            out.append('.').append(String.format("%09d", nanos).replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }
}
