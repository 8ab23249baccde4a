package io.capstan.apiserver.admission.podsecurity;

import static io.capstan.apiserver.admission.podsecurity.Check.since;
import static io.capstan.apiserver.admission.podsecurity.Pods.containers;
import static io.capstan.apiserver.admission.podsecurity.Pods.containersPhrase;
import static io.capstan.apiserver.admission.podsecurity.Pods.isTrue;
import static io.capstan.apiserver.admission.podsecurity.Pods.joinQuote;
import static io.capstan.apiserver.admission.podsecurity.Pods.name;
import static io.capstan.apiserver.admission.podsecurity.Pods.pluralize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The baseline controls that keep a pod off the host: hostProcess, host namespaces, hostPath volumes, host ports. */
final class HostChecks {

    static final String HOST_PATH_VOLUMES = "hostPathVolumes";

    private HostChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("windowsHostProcess", Level.BASELINE, since(0, HostChecks::windowsHostProcess)),
                Check.of("hostNamespaces", Level.BASELINE, since(0, HostChecks::hostNamespaces)),
                Check.of(HOST_PATH_VOLUMES, Level.BASELINE, since(0, HostChecks::hostPathVolumes)),
                Check.of("hostPorts", Level.BASELINE, since(0, HostChecks::hostPorts)));
    }

    static CheckResult windowsHostProcess(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (isTrue(spec.path("securityContext").path("windowsOptions"), "hostProcess")) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isTrue(c.path("securityContext").path("windowsOptions"), "hostProcess")) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("hostProcess",
                String.join(" and ", setters) + " must not set securityContext.windowsOptions.hostProcess=true");
    }

    static CheckResult hostNamespaces(JsonNode metadata, JsonNode spec) {
        List<String> shared = new ArrayList<>();
        for (String ns : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (isTrue(spec, ns)) {
                shared.add(ns + "=true");
            }
        }
        return shared.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("host namespaces", String.join(", ", shared));
    }

    static CheckResult hostPathVolumes(JsonNode metadata, JsonNode spec) {
        List<String> volumes = new ArrayList<>();
        for (JsonNode v : spec.path("volumes")) {
            if (v.hasNonNull("hostPath")) {
                volumes.add(name(v));
            }
        }
        return volumes.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("hostPath volumes",
                pluralize("volume", "volumes", volumes.size()) + " " + joinQuote(volumes));
    }

    static CheckResult hostPorts(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> ports = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            boolean valid = true;
            for (JsonNode p : c.path("ports")) {
                long hostPort = p.path("hostPort").asLong(0);
                if (hostPort != 0) {
                    valid = false;
                    ports.add(Long.toString(hostPort));
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("hostPort", containersPhrase(bad) + " "
                + pluralize("uses", "use", bad.size()) + " " + pluralize("hostPort", "hostPorts", ports.size()) + " "
                + String.join(", ", ports));
    }
}
