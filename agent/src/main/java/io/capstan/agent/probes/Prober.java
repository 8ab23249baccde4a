package io.capstan.agent.probes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.List;

/** Runs one attempt of a probe against a container: exec, httpGet, tcpSocket or grpc, within timeoutSeconds. */
public final class Prober {

    /** The kubelet reads at most this much of a probe's output. */
    static final int MAX_OUTPUT = 10 * 1024;
    private static final int RETRIES = 3;

    private final ExecRunner exec;
    private final String userAgent;

    /** @param kubeletVersion e.g. "1.32", for the User-Agent {@code kube-probe/1.32} */
    public Prober(ExecRunner exec, String kubeletVersion) {
        this.exec = exec;
        this.userAgent = "kube-probe/" + kubeletVersion;
    }

    /** One attempt; a probe that errors is tried up to three times, as the kubelet's runProbeWithRetries does. */
    public Outcome run(Probe probe, Container container, ContainerSnapshot target) {
        Outcome outcome = null;
        for (int i = 0; i < RETRIES; i++) {
            outcome = runOnce(probe, container, target);
            if (outcome.kind() != Outcome.Kind.ERROR) {
                return outcome;
            }
        }
        return outcome;
    }

    private Outcome runOnce(Probe probe, Container container, ContainerSnapshot target) {
        Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() <= 0 ? 1 : probe.getTimeoutSeconds());
        try {
            if (probe.getExec() != null) {
                return exec(probe.getExec().getCommand(), target.containerId(), timeout);
            }
            if (probe.getHttpGet() != null) {
                var h = probe.getHttpGet();
                String host = h.getHost() == null || h.getHost().isEmpty() ? target.podIP() : h.getHost();
                int port = resolvePort(h.getPort(), container);
                return HttpCheck.get(h.getScheme() == null ? "HTTP" : h.getScheme(), host, port, h.getPath(),
                        h.getHttpHeaders() == null ? List.of() : h.getHttpHeaders(), userAgent, timeout);
            }
            if (probe.getTcpSocket() != null) {
                var t = probe.getTcpSocket();
                String host = t.getHost() == null || t.getHost().isEmpty() ? target.podIP() : t.getHost();
                return TcpCheck.connect(host, resolvePort(t.getPort(), container), timeout);
            }
            if (probe.getGrpc() != null) {
                return GrpcCheck.check(target.podIP(), probe.getGrpc().getPort(), probe.getGrpc().getService(), userAgent, timeout);
            }
            return Outcome.error("missing probe handler for " + container.getName());
        } catch (PortError e) {
            return Outcome.error(e.getMessage());
        }
    }

    private Outcome exec(List<String> command, String containerId, Duration timeout) {
        ExecRunner.ExecResult result;
        try {
            result = exec.exec(containerId, command, timeout);
        } catch (RuntimeException e) {
            return Outcome.error(String.valueOf(e.getMessage()));
        }
        if (result.timedOut()) {
            return Outcome.failure("command \"" + String.join(" ", command) + "\" timed out");
        }
        String output = limit(result.output());
        return result.exitCode() == 0 ? Outcome.success(output) : Outcome.failure(output);
    }

    /** The kubelet's ResolveContainerPort: a number, a named container port, or a number written as a string. */
    static int resolvePort(IntOrString port, Container container) {
        int value;
        if (port == null) {
            throw new PortError("invalid port number: -1");
        }
        if (port.getIntVal() != null) {
            value = port.getIntVal();
        } else {
            String name = port.getStrVal();
            Integer found = null;
            for (ContainerPort p : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                if (name.equals(p.getName())) {
                    found = p.getContainerPort();
                    break;
                }
            }
            if (found == null) {
                try {
                    found = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new PortError("strconv.Atoi: parsing \"" + name + "\": invalid syntax");
                }
            }
            value = found;
        }
        if (value <= 0 || value >= 65536) {
            throw new PortError("invalid port number: " + value);
        }
        return value;
    }

    static String limit(String s) {
        return s == null ? "" : s.length() > MAX_OUTPUT ? s.substring(0, MAX_OUTPUT) : s;
    }

    private static final class PortError extends RuntimeException {
        PortError(String message) {
            super(message);
        }
    }
}
