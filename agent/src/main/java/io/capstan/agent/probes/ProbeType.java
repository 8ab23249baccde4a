package io.capstan.agent.probes;

/** The three probes of a container, named as the kubelet names them in events. */
public enum ProbeType {
    LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

    private final String display;

    ProbeType(String display) {
        this.display = display;
    }

    /** "Liveness", "Readiness" or "Startup". */
    public String display() {
        return display;
    }
}
