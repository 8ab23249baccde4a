package io.capstan.agent.probes;

/** Receives what a container's probes find; called from probe threads. */
public interface ProbeListener {

    /**
     * A probe's standing result changed for {@code containerId} (the kubelet's results manager): readiness makes the
     * container Ready or not, a liveness or startup FAILURE means the container must be restarted.
     */
    void resultChanged(String containerName, String containerId, ProbeType type, ProbeResult result);

    /** One attempt that did not plainly succeed, with the event the kubelet records (see {@link Outcome#event}). */
    default void attempted(String containerName, ProbeType type, Outcome outcome) {}
}
