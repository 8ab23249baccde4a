package io.capstan.apiserver.admission.podsecurity;

import static io.capstan.apiserver.admission.podsecurity.Check.since;
import static io.capstan.apiserver.admission.podsecurity.Pods.containers;
import static io.capstan.apiserver.admission.podsecurity.Pods.containersPhrase;
import static io.capstan.apiserver.admission.podsecurity.Pods.isTrue;
import static io.capstan.apiserver.admission.podsecurity.Pods.joinQuote;
import static io.capstan.apiserver.admission.podsecurity.Pods.name;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The baseline controls on a container's own security context: privileged, added capabilities, /proc mount. */
final class ContainerChecks {

    static final String CAPABILITIES_BASELINE = "capabilities_baseline";
    /** The container runtime's default capability set: adding these changes nothing. */
    private static final Set<String> DEFAULT_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

    private ContainerChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("privileged", Level.BASELINE, since(0, ContainerChecks::privileged)),
                Check.of(CAPABILITIES_BASELINE, Level.BASELINE, since(0, ContainerChecks::capabilities)),
                Check.of("procMount", Level.BASELINE, since(0, ContainerChecks::procMount)));
    }

    static CheckResult privileged(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isTrue(c.path("securityContext"), "privileged")) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? CheckResult.ALLOWED
                : CheckResult.forbidden("privileged", containersPhrase(bad) + " must not set securityContext.privileged=true");
    }

    static CheckResult capabilities(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> nonDefault = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            boolean valid = true;
            for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
                if (!DEFAULT_CAPABILITIES.contains(cap.asText())) {
                    valid = false;
                    nonDefault.add(cap.asText());
                }
            }
            if (!valid) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("non-default capabilities",
                containersPhrase(bad) + " must not include " + joinQuote(nonDefault) + " in securityContext.capabilities.add");
    }

    static CheckResult procMount(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            JsonNode procMount = c.path("securityContext").get("procMount");
            if (procMount != null && !procMount.isNull() && !procMount.asText().equals("Default")) {
                bad.add(name(c));
                types.add(procMount.asText());
            }
        }
        return bad.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("procMount",
                containersPhrase(bad) + " must not set securityContext.procMount to " + joinQuote(types));
    }
}
