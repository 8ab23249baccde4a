package io.capstan.apiserver.admission.podsecurity;

import static io.capstan.apiserver.admission.podsecurity.Check.since;
import static io.capstan.apiserver.admission.podsecurity.Pods.containers;
import static io.capstan.apiserver.admission.podsecurity.Pods.containersPhrase;
import static io.capstan.apiserver.admission.podsecurity.Pods.isFalse;
import static io.capstan.apiserver.admission.podsecurity.Pods.isTrue;
import static io.capstan.apiserver.admission.podsecurity.Pods.isWindows;
import static io.capstan.apiserver.admission.podsecurity.Pods.joinQuote;
import static io.capstan.apiserver.admission.podsecurity.Pods.name;
import static io.capstan.apiserver.admission.podsecurity.Pods.pluralize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The restricted controls: volume types, privilege escalation, non-root, seccomp required, capabilities dropped.
 * From 1.25 on, pods with spec.os.name=windows are exempt from the Linux-only ones.
 */
final class RestrictedChecks {

    private static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");
    /** The other volume sources, in the order the upstream check names them; a volume with none of them is "unknown". */
    private static final List<String> NAMED_VOLUMES = List.of("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
            "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume",
            "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos");

    private RestrictedChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of("restrictedVolumes", Level.RESTRICTED,
                        since(0, RestrictedChecks::volumes, HostChecks.HOST_PATH_VOLUMES)),
                Check.of("allowPrivilegeEscalation", Level.RESTRICTED,
                        since(8, RestrictedChecks::allowPrivilegeEscalation), since(25, linuxOnly(RestrictedChecks::allowPrivilegeEscalation))),
                Check.of("runAsNonRoot", Level.RESTRICTED, since(0, RestrictedChecks::runAsNonRoot)),
                Check.of("runAsUser", Level.RESTRICTED, since(23, RestrictedChecks::runAsUser)),
                Check.of("seccompProfile_restricted", Level.RESTRICTED,
                        since(19, RestrictedChecks::seccomp, ProfileChecks.SECCOMP_BASELINE),
                        since(25, linuxOnly(RestrictedChecks::seccomp), ProfileChecks.SECCOMP_BASELINE)),
                Check.of("capabilities_restricted", Level.RESTRICTED,
                        since(22, RestrictedChecks::capabilities, ContainerChecks.CAPABILITIES_BASELINE),
                        since(25, linuxOnly(RestrictedChecks::capabilities), ContainerChecks.CAPABILITIES_BASELINE)));
    }

    /** Windows pods cannot set these Linux fields (validation would refuse them), so from 1.25 they pass. */
    private static Check.PodCheck linuxOnly(Check.PodCheck check) {
        return (metadata, spec) -> isWindows(spec) ? CheckResult.ALLOWED : check.check(metadata, spec);
    }

    static CheckResult volumes(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = new TreeSet<>();
        for (JsonNode v : spec.path("volumes")) {
            if (ALLOWED_VOLUMES.stream().anyMatch(v::hasNonNull)) {
                continue;
            }
            bad.add(name(v));
            types.add(NAMED_VOLUMES.stream().filter(v::hasNonNull).findFirst().orElse("unknown"));
        }
        return bad.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("restricted volume types",
                pluralize("volume", "volumes", bad.size()) + " " + joinQuote(bad) + " " + pluralize("uses", "use", bad.size()) + " "
                        + pluralize("restricted volume type", "restricted volume types", types.size()) + " " + joinQuote(types));
    }

    static CheckResult allowPrivilegeEscalation(JsonNode metadata, JsonNode spec) {
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (!isFalse(c.path("securityContext"), "allowPrivilegeEscalation")) {
                bad.add(name(c));
            }
        }
        return bad.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("allowPrivilegeEscalation != false",
                containersPhrase(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    static CheckResult runAsNonRoot(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        JsonNode podContext = spec.path("securityContext");
        boolean podNonRoot = false;
        if (Pods.isSet(podContext, "runAsNonRoot")) {
            if (isTrue(podContext, "runAsNonRoot")) {
                podNonRoot = true;
            } else {
                setters.add("pod");
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode context = c.path("securityContext");
            if (Pods.isSet(context, "runAsNonRoot")) {
                if (!isTrue(context, "runAsNonRoot")) {
                    explicit.add(name(c));
                }
            } else if (!podNonRoot) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containersPhrase(explicit));
        }
        if (!setters.isEmpty()) {
            return CheckResult.forbidden("runAsNonRoot != true",
                    String.join(" and ", setters) + " must not set securityContext.runAsNonRoot=false");
        }
        if (!implicit.isEmpty()) {
            return CheckResult.forbidden("runAsNonRoot != true",
                    "pod or " + containersPhrase(implicit) + " must set securityContext.runAsNonRoot=true");
        }
        return CheckResult.ALLOWED;
    }

    static CheckResult runAsUser(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        if (isRoot(spec.path("securityContext"))) {
            setters.add("pod");
        }
        List<String> bad = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            if (isRoot(c.path("securityContext"))) {
                bad.add(name(c));
            }
        }
        if (!bad.isEmpty()) {
            setters.add(containersPhrase(bad));
        }
        return setters.isEmpty() ? CheckResult.ALLOWED
                : CheckResult.forbidden("runAsUser=0", String.join(" and ", setters) + " must not set runAsUser=0");
    }

    private static boolean isRoot(JsonNode context) {
        JsonNode user = context.get("runAsUser");
        return user != null && user.isNumber() && user.asLong() == 0;
    }

    static CheckResult seccomp(JsonNode metadata, JsonNode spec) {
        List<String> setters = new ArrayList<>();
        TreeSet<String> badValues = new TreeSet<>();
        boolean podSet = false;
        JsonNode podProfile = spec.path("securityContext").get("seccompProfile");
        if (podProfile != null && !podProfile.isNull()) {
            if (ProfileChecks.validSeccomp(podProfile)) {
                podSet = true;
            } else {
                setters.add("pod");
                badValues.add(podProfile.path("type").asText(""));
            }
        }
        List<String> explicit = new ArrayList<>();
        List<String> implicit = new ArrayList<>();
        for (JsonNode c : containers(spec)) {
            JsonNode profile = c.path("securityContext").get("seccompProfile");
            if (profile != null && !profile.isNull()) {
                if (!ProfileChecks.validSeccomp(profile)) {
                    explicit.add(name(c));
                    badValues.add(profile.path("type").asText(""));
                }
            } else if (!podSet) {
                implicit.add(name(c));
            }
        }
        if (!explicit.isEmpty()) {
            setters.add(containersPhrase(explicit));
        }
        if (!setters.isEmpty()) {
            return CheckResult.forbidden("seccompProfile", String.join(" and ", setters)
                    + " must not set securityContext.seccompProfile.type to " + joinQuote(badValues));
        }
        if (!implicit.isEmpty()) {
            return CheckResult.forbidden("seccompProfile", "pod or " + containersPhrase(implicit)
                    + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
        }
        return CheckResult.ALLOWED;
    }

    static CheckResult capabilities(JsonNode metadata, JsonNode spec) {
        List<String> missingDropAll = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        TreeSet<String> forbidden = new TreeSet<>();
        for (JsonNode c : containers(spec)) {
            JsonNode caps = c.path("securityContext").get("capabilities");
            if (caps == null || caps.isNull()) {
                missingDropAll.add(name(c));
                continue;
            }
            boolean droppedAll = false;
            for (JsonNode d : caps.path("drop")) {
                droppedAll |= d.asText().equals("ALL");
            }
            if (!droppedAll) {
                missingDropAll.add(name(c));
            }
            boolean addedForbidden = false;
            for (JsonNode a : caps.path("add")) {
                if (!a.asText().equals("NET_BIND_SERVICE")) {
                    addedForbidden = true;
                    forbidden.add(a.asText());
                }
            }
            if (addedForbidden) {
                adding.add(name(c));
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDropAll.isEmpty()) {
            details.add(containersPhrase(missingDropAll) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!adding.isEmpty()) {
            details.add(containersPhrase(adding) + " must not include " + joinQuote(forbidden) + " in securityContext.capabilities.add");
        }
        return details.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("unrestricted capabilities", String.join("; ", details));
    }
}
