package io.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.api.crd.CrdValidation;
import io.capstan.api.crd.SchemaValidator;
import java.util.ArrayList;
import java.util.List;

/** Validates objects on create and update with Kubernetes' field paths and messages. */
public final class ObjectValidator {

    public List<FieldError> validateCreate(ResourceType type, ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>();
        MetadataValidation.validate(type, obj.path("metadata"), errors);
        JsonNode spec = obj.path("spec");
        switch (type.qualifiedResource()) {
            case "pods" -> SpecValidation.podSpec(spec, "spec", errors);
            case "deployments.apps", "replicasets.apps" -> SpecValidation.workload(spec, "deployment", true, errors);
            case "statefulsets.apps" -> SpecValidation.workload(spec, "statefulset", true, errors);
            case "daemonsets.apps" -> SpecValidation.workload(spec, "daemonset", false, errors);
            case "jobs.batch" -> SpecValidation.job(spec, errors);
            case "cronjobs.batch" -> SpecValidation.cronJob(obj, errors);
            case "services" -> SpecValidation.service(spec, errors);
            case "configmaps", "secrets" -> SpecValidation.dataKeys(obj, errors);
            case "customresourcedefinitions.apiextensions.k8s.io" -> CrdValidation.validate(obj, errors);
            default -> {
                if (type.custom() != null) {
                    errors.addAll(SchemaValidator.validate(type.custom().schema(), obj));
                }
            }
        }
        return errors;
    }

    public List<FieldError> validateUpdate(ResourceType type, ObjectNode next, ObjectNode old) {
        List<FieldError> errors = validateCreate(type, next);
        switch (type.qualifiedResource()) {
            case "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch" -> {
                JsonNode before = Json.at(old, "spec", "selector");
                JsonNode now = Json.at(next, "spec", "selector");
                if (before != null && !before.equals(now)) {
                    errors.add(FieldError.invalid("spec.selector", now == null ? "null" : GoValues.labelSelector(now), "field is immutable"));
                }
            }
            case "services" -> clusterIPsKept(next, old, errors);
            case "pods" -> podUpdate(next, old, errors);
            case "customresourcedefinitions.apiextensions.k8s.io" -> CrdValidation.validateUpdate(next, old, errors);
            case "configmaps", "secrets" -> {
                if (old.path("immutable").asBoolean(false)) {
                    for (String f : List.of("data", "binaryData")) {
                        if (!next.path(f).equals(old.path(f))) {
                            errors.add(FieldError.forbidden(f, "field is immutable when `immutable` is set"));
                        }
                    }
                }
            }
            default -> { }
        }
        if (type.qualifiedResource().equals("jobs.batch")) {
            immutable(next, old, errors, "spec", "template");
        }
        return errors;
    }

    /** A pod's spec may change only in container images, activeDeadlineSeconds and tolerations, as Kubernetes allows. */
    private static void podUpdate(ObjectNode next, ObjectNode old, List<FieldError> errors) {
        ObjectNode a = (ObjectNode) next.path("spec").deepCopy();
        ObjectNode b = old.path("spec").isObject() ? (ObjectNode) old.path("spec").deepCopy() : Json.object();
        for (ObjectNode s : new ObjectNode[] {a, b}) {
            for (String list : List.of("containers", "initContainers")) {
                s.path(list).forEach(c -> ((ObjectNode) c).remove("image"));
            }
            s.remove(List.of("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"));
        }
        if (!a.equals(b)) {
            errors.add(FieldError.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,"
                    + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
                    + "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
        }
    }

    /** Once set, a Service's cluster IPs stay (validateUpgradeDowngradeClusterIPs); ExternalName and headless services aside. */
    private static void clusterIPsKept(ObjectNode next, ObjectNode old, List<FieldError> errors) {
        if ("ExternalName".equals(Json.text(next, "spec", "type")) || "ExternalName".equals(Json.text(old, "spec", "type"))) {
            return;
        }
        List<String> before = clusterIPs(old);
        List<String> now = clusterIPs(next);
        if (before.isEmpty() || before.getFirst().equals("None") && now.size() == 1 && now.getFirst().equals("None")) {
            return;
        }
        String rendered = "[]string{" + String.join(", ", now.stream().map(FieldError::quote).toList()) + "}";
        for (int i = 0; i < Math.min(before.size(), Math.max(now.size(), 1)); i++) {
            if (i >= now.size() || !before.get(i).equals(now.get(i))) {
                errors.add(FieldError.invalid("spec.clusterIPs[" + i + "]", now.isEmpty() ? "[]string(nil)" : rendered, "may not change once set"));
            }
        }
    }

    /** spec.clusterIPs, or the single spec.clusterIP when the list is absent; a changed clusterIP counts as the primary. */
    private static List<String> clusterIPs(ObjectNode svc) {
        List<String> ips = new ArrayList<>();
        JsonNode list = svc.path("spec").path("clusterIPs");
        list.forEach(ip -> ips.add(ip.asText()));
        String primary = Json.text(svc, "spec", "clusterIP");
        if (primary != null && !primary.isEmpty()) {
            if (ips.isEmpty()) {
                ips.add(primary);
            } else {
                ips.set(0, primary);
            }
        }
        return ips;
    }

    private static void immutable(ObjectNode next, ObjectNode old, List<FieldError> errors, String... path) {
        JsonNode now = Json.at(next, path);
        JsonNode before = Json.at(old, path);
        if (before != null && !before.equals(now)) {
            errors.add(FieldError.invalid(String.join(".", path), GoValues.render(now), "field is immutable"));
        }
    }
}
