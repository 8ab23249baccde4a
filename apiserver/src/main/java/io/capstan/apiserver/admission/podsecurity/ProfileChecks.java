package io.capstan.apiserver.admission.podsecurity;

import static io.capstan.apiserver.admission.podsecurity.Check.since;
import static io.capstan.apiserver.admission.podsecurity.Pods.containers;
import static io.capstan.apiserver.admission.podsecurity.Pods.containersPhrase;
import static io.capstan.apiserver.admission.podsecurity.Pods.joinQuote;
import static io.capstan.apiserver.admission.podsecurity.Pods.name;
import static io.capstan.apiserver.admission.podsecurity.Pods.pluralize;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The baseline controls on kernel security profiles and knobs: AppArmor, SELinux, seccomp, sysctls. */
final class ProfileChecks {

    static final String SECCOMP_BASELINE = "seccompProfile_baseline";
    private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
    static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    private static final Set<String> SELINUX_TYPES_1_0 = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    private static final Set<String> SELINUX_TYPES_1_31 = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    private static final Set<String> SYSCTLS_1_0 = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");
    private static final Set<String> SYSCTLS_1_27 = union(SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports");
    private static final Set<String> SYSCTLS_1_29 = union(SYSCTLS_1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SYSCTLS_1_32 = union(SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");

    private ProfileChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("appArmorProfile", Level.BASELINE, since(0, ProfileChecks::appArmor)),
                Check.of("seLinuxOptions", Level.BASELINE,
                        since(0, (m, s) -> seLinux(s, SELINUX_TYPES_1_0)), since(31, (m, s) -> seLinux(s, SELINUX_TYPES_1_31))),
                Check.of(SECCOMP_BASELINE, Level.BASELINE,
                        since(0, ProfileChecks::seccompAnnotations), since(19, ProfileChecks::seccompBaseline)),
                Check.of("sysctls", Level.BASELINE, since(0, (m, s) -> sysctls(s, SYSCTLS_1_0)),
                        since(27, (m, s) -> sysctls(s, SYSCTLS_1_27)), since(29, (m, s) -> sysctls(s, SYSCTLS_1_29)),
                        since(32, (m, s) -> sysctls(s, SYSCTLS_1_32))));
    }

    static CheckResult appArmor(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> badValues = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").get("appArmorProfile");
        if (podProfile != null && !podProfile.isNull() && !allowedAppArmorType(podProfile)) {
            setters.add("pod");
            badValues.add(podProfile.path("type").asText(""));
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").get("appArmorProfile");
            if (profile != null && !profile.isNull() && !allowedAppArmorType(profile)) {
                bad.add(name(c));
                badValues.add(profile.path("type").asText(""));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        TreeSet<String> annotations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> a : metadata.path("annotations").properties()) {
            String value = a.getValue().asText("");
            if (a.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX)
                    && !(value.isEmpty() || value.equals("runtime/default") || value.startsWith("localhost/"))) {
                annotations.add(a.getKey() + "=" + FieldError.quote(value));
            }
        }
        List<String> values = new ArrayList<>(badValues);
        if (!annotations.isEmpty()) {
            values.addAll(annotations);
            setters.add(pluralize("annotation", "annotations", annotations.size()));
        }
        if (setters.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        return CheckResult.forbidden(pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", values.size()),
                String.join(" and ", setters) + " must not set AppArmor profile type to " + joinQuote(values));
    }

    private static boolean allowedAppArmorType(JsonNode profile) {
        String type = profile.path("type").asText("");
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    static CheckResult seLinux(JsonNode spec, Set<String> allowedTypes) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> badTypes = new TreeSet<>();
        boolean[] userRole = new boolean[2];
        JsonNode podOptions = spec.path("securityContext").get("seLinuxOptions");
        if (podOptions != null && !podOptions.isNull() && !validSeLinux(podOptions, allowedTypes, badTypes, userRole)) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode options = c.path("securityContext").get("seLinuxOptions");
            if (options != null && !options.isNull() && !validSeLinux(options, allowedTypes, badTypes, userRole)) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        if (setters.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        List<String> data = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            data.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (userRole[0]) {
            data.add("user may not be set");
        }
        if (userRole[1]) {
            data.add("role may not be set");
        }
        return CheckResult.forbidden("seLinuxOptions", String.join(" and ", setters)
                + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", data));
    }

    private static boolean validSeLinux(JsonNode options, Set<String> allowedTypes, Set<String> badTypes, boolean[] userRole) {
        boolean valid = true;
        String type = options.path("type").asText("");
        if (!allowedTypes.contains(type)) {
            valid = false;
            badTypes.add(type);
        }
        if (!options.path("user").asText("").isEmpty()) {
            valid = false;
            userRole[0] = true;
        }
        if (!options.path("role").asText("").isEmpty()) {
            valid = false;
            userRole[1] = true;
        }
        return valid;
    }

    /** Before 1.19 seccomp was set by annotations. */
    static CheckResult seccompAnnotations(JsonNode metadata, JsonNode spec) {
        TreeSet<String> forbidden = new TreeSet<>();
        JsonNode annotations = metadata.path("annotations");
        checkSeccompAnnotation(annotations, SECCOMP_POD_ANNOTATION, forbidden);
        for (JsonNode c : containers(spec)) {
            checkSeccompAnnotation(annotations, SECCOMP_CONTAINER_ANNOTATION_PREFIX + name(c), forbidden);
        }
        return forbidden.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("seccompProfile",
                "forbidden " + pluralize("annotation", "annotations", forbidden.size()) + " " + String.join(", ", forbidden));
    }

    private static void checkSeccompAnnotation(JsonNode annotations, String key, Set<String> forbidden) {
        JsonNode v = annotations.get(key);
        if (v == null) {
            return;
        }
        String value = v.asText("");
        if (!(value.equals("runtime/default") || value.equals("docker/default") || value.startsWith("localhost/"))) {
            forbidden.add(key + "=" + FieldError.quote(value));
        }
    }

    static CheckResult seccompBaseline(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> badValues = new TreeSet<>();
        JsonNode podProfile = spec.path("securityContext").get("seccompProfile");
        if (podProfile != null && !podProfile.isNull() && !validSeccomp(podProfile)) {
            setters.add("pod");
            badValues.add(podProfile.path("type").asText(""));
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (profile != null && !profile.isNull() && !validSeccomp(profile)) {
                bad.add(name(c));
                badValues.add(profile.path("type").asText(""));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("seccompProfile",
                String.join(" and ", setters) + " must not set securityContext.seccompProfile.type to " + joinQuote(badValues));
    }

    static boolean validSeccomp(JsonNode profile) {
        String type = profile.path("type").asText("");
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }

    static CheckResult sysctls(JsonNode spec, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (JsonNode s : spec.path("securityContext").path("sysctls")) {
            String name = s.path("name").asText("");
            if (!allowed.contains(name)) {
                forbidden.add(name);
            }
        }
        return forbidden.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("forbidden sysctls", String.join(", ", forbidden));
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        all.addAll(List.of(more));
        return Set.copyOf(all);
    }
}
