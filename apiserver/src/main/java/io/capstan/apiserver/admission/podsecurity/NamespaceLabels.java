package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.admission.AdmissionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * ValidateNamespace: pod security labels must parse (422 otherwise), and when an update makes the enforce level
 * stricter the namespace's existing pods are measured against it and the violations come back as warnings.
 */
final class NamespaceLabels {

    private static final int MAX_PODS_TO_CHECK = 3000;
    private static final Duration POD_CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final PodSecurityConfig config;
    private final Evaluator evaluator;
    private final Function<String, List<ObjectNode>> pods;

    NamespaceLabels(PodSecurityConfig config, Evaluator evaluator, Function<String, List<ObjectNode>> pods) {
        this.config = config;
        this.evaluator = evaluator;
        this.pods = pods;
    }

    void validate(AdmissionRequest request) {
        if (!request.subresource().isEmpty()) {
            return;
        }
        Map<String, String> labels = Json.labels(request.object());
        Policy.Evaluated next = Policy.fromLabels(labels, config.defaults());
        boolean exempt = config.exemptNamespaces().contains(request.name());
        if (request.isCreate()) {
            if (!next.errors().isEmpty()) {
                throw StatusException.invalid(request.type(), request.name(), next.errors());
            }
            if (exempt) {
                exemptWarning(request, next.policy(), labels);
            }
            return;
        }
        Policy.Evaluated old = Policy.fromLabels(Json.labels(request.oldObject()), config.defaults());
        if (!next.errors().isEmpty() && (old.errors().isEmpty() || !next.errors().equals(old.errors()))) {
            throw StatusException.invalid(request.type(), request.name(), next.errors());
        }
        LevelVersion enforce = next.policy().enforce();
        LevelVersion oldEnforce = old.policy().enforce();
        if (enforce.equals(oldEnforce) || enforce.level() == Level.PRIVILEGED
                || enforce.version().equals(oldEnforce.version()) && enforce.level().compareTo(oldEnforce.level()) < 1) {
            return; // nothing got stricter
        }
        if (exempt) {
            exemptWarning(request, next.policy(), labels);
            return;
        }
        existingPodWarnings(request.name(), enforce).forEach(request.response()::warn);
    }

    private void exemptWarning(AdmissionRequest request, Policy policy, Map<String, String> labels) {
        if (policy.fullyPrivileged() || policy.equivalent(config.defaults())) {
            return;
        }
        List<String> modes = new ArrayList<>();
        addMode(modes, "enforce", policy.enforce(), labels, Policy.ENFORCE, Policy.ENFORCE_VERSION);
        addMode(modes, "audit", policy.audit(), labels, Policy.AUDIT, Policy.AUDIT_VERSION);
        addMode(modes, "warn", policy.warn(), labels, Policy.WARN, Policy.WARN_VERSION);
        request.response().warn("namespace " + FieldError.quote(request.name())
                + " is exempt from Pod Security, and the policy (" + String.join(", ", modes) + ") will be ignored");
    }

    private static void addMode(List<String> modes, String mode, LevelVersion lv, Map<String, String> labels, String level,
                                String version) {
        if (lv.level() != Level.PRIVILEGED && (labels.containsKey(level) || labels.containsKey(version))) {
            modes.add(mode + "=" + lv);
        }
    }

    /** EvaluatePodsInNamespace: one warning per distinct set of violations, naming the first pod and counting the others. */
    List<String> existingPodWarnings(String namespace, LevelVersion enforce) {
        long deadline = System.nanoTime() + POD_CHECK_TIMEOUT.toNanos();
        List<ObjectNode> candidates = prioritized(pods.apply(namespace));
        int total = candidates.size();
        if (candidates.size() > MAX_PODS_TO_CHECK) {
            candidates = candidates.subList(0, MAX_PODS_TO_CHECK);
        }
        Map<String, String[]> byReasons = new LinkedHashMap<>(); // reasons -> {first pod name, count}
        int checked = candidates.size();
        for (int i = 0; i < candidates.size(); i++) {
            ObjectNode pod = candidates.get(i);
            Evaluation result = evaluator.evaluate(enforce, pod.path("metadata"), pod.path("spec"));
            if (!result.allowed()) {
                String name = Json.text(pod, "metadata", "name");
                String[] seen = byReasons.computeIfAbsent(result.reasons(), r -> new String[] {name, "0"});
                if (name.compareTo(seen[0]) < 0) {
                    seen[0] = name;
                }
                seen[1] = Integer.toString(Integer.parseInt(seen[1]) + 1);
            }
            if (System.nanoTime() > deadline) {
                checked = i + 1;
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (checked < total) {
            warnings.add("new PodSecurity enforce level only checked against the first " + checked + " of " + total + " existing pods");
        }
        if (!byReasons.isEmpty()) {
            warnings.add("existing pods in namespace " + FieldError.quote(namespace) + " violate the new PodSecurity enforce level "
                    + FieldError.quote(enforce.toString()));
        }
        List<String> podWarnings = new ArrayList<>();
        byReasons.forEach((reasons, seen) -> {
            int count = Integer.parseInt(seen[1]);
            String who = switch (count) {
                case 1 -> seen[0];
                case 2 -> seen[0] + " (and 1 other pod)";
                default -> seen[0] + " (and " + (count - 1) + " other pods)";
            };
            podWarnings.add(who + ": " + reasons);
        });
        podWarnings.sort(null);
        warnings.addAll(podWarnings);
        return warnings;
    }

    /** Pods of exempt runtime classes left out; the first pod of each controller before the others of the same controller. */
    private List<ObjectNode> prioritized(List<ObjectNode> all) {
        List<ObjectNode> first = new ArrayList<>();
        List<ObjectNode> duplicates = new ArrayList<>();
        Set<String> controllers = new HashSet<>();
        for (ObjectNode pod : all) {
            String runtimeClass = Json.text(pod, "spec", "runtimeClassName");
            if (runtimeClass != null && !runtimeClass.isEmpty() && config.exemptRuntimeClasses().contains(runtimeClass)) {
                continue;
            }
            String controller = controllerUid(pod);
            if (controller == null || controllers.add(controller)) {
                first.add(pod);
            } else {
                duplicates.add(pod);
            }
        }
        first.addAll(duplicates);
        return first;
    }

    private static String controllerUid(JsonNode pod) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return ref.path("uid").asText();
            }
        }
        return null;
    }
}
