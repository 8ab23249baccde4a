package io.capstan.agent.simulated;

/**
 * The shape of the simulated nodes.
 *
 * @param count how many nodes: sim-0 … sim-(count-1)
 * @param cpu each node's cpu capacity, e.g. "8"
 * @param memory each node's memory capacity, e.g. "32Gi"
 * @param pods each node's pod capacity, e.g. "110"
 */
public record SimulatedNodeConfig(int count, String cpu, String memory, String pods) {

    /** The annotation that stops a simulated node, as if its machine had crashed. */
    public static final String STOPPED_ANNOTATION = "capstan.io/simulated-stopped";
    /** How long a simulated Job pod runs (Go duration or seconds, default 1s). */
    public static final String RUNTIME_ANNOTATION = "capstan.io/simulated-runtime";
    /** The exit code a simulated pod ends with (default 0). */
    public static final String EXIT_CODE_ANNOTATION = "capstan.io/simulated-exit-code";
    /** "false": the pod runs but its readiness probe fails (not Ready); may be changed while it runs. */
    public static final String READY_ANNOTATION = "capstan.io/simulated-ready";

    public static final String PREFIX = "sim-";

    public String nodeName(int index) {
        return PREFIX + index;
    }
}
