package io.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.CronSchedule;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.LabelRules;
import io.capstan.api.LabelSelector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The per-kind spec rules Kubernetes users meet most: pods, workload selectors, services, config data. */
final class SpecValidation {

    private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
    private static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");

    private SpecValidation() {}

    static void podSpec(JsonNode spec, String path, List<FieldError> errors) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            errors.add(FieldError.required(path + ".containers", ""));
        } else {
            containers(containers, path + ".containers", errors);
        }
        if (spec.path("initContainers").isArray()) {
            containers(spec.path("initContainers"), path + ".initContainers", errors);
        }
        JsonNode restart = spec.get("restartPolicy");
        if (restart != null && !RESTART_POLICIES.contains(restart.asText())) {
            errors.add(FieldError.notSupported(path + ".restartPolicy", GoValues.render(restart),
                    "supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
    }

    private static void containers(JsonNode containers, String path, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            String p = path + "[" + i + "]";
            String name = c.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(p + ".name", ""));
            } else if (!LabelRules.isDns1123Label(name)) {
                LabelRules.dns1123LabelErrors(name).forEach(m -> errors.add(FieldError.invalid(p + ".name", FieldError.quote(name), m)));
            } else if (!names.add(name)) {
                errors.add(FieldError.duplicate(p + ".name", FieldError.quote(name)));
            }
            if (c.path("image").asText("").isBlank()) {
                errors.add(FieldError.required(p + ".image", ""));
            }
            JsonNode ports = c.path("ports");
            for (int j = 0; j < ports.size(); j++) {
                JsonNode port = ports.get(j).path("containerPort");
                if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                    errors.add(FieldError.invalid(p + ".ports[" + j + "].containerPort", GoValues.render(port),
                            "must be between 1 and 65535, inclusive"));
                }
            }
        }
    }

    /** Deployment, ReplicaSet, StatefulSet, DaemonSet: a valid selector that matches the template's labels. */
    static void workload(JsonNode spec, String kind, boolean hasReplicas, List<FieldError> errors) {
        if (hasReplicas) {
            nonNegative(spec, "replicas", "spec.replicas", errors);
        }
        JsonNode selector = spec.get("selector");
        boolean convertible = true;
        if (selector == null || selector.isNull()) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            convertible = labelSelector(selector, "spec.selector", errors);
            if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
                errors.add(FieldError.invalid("spec.selector", GoValues.labelSelector(selector), "empty selector is invalid for " + kind));
            }
        }
        if (!convertible) {
            errors.add(FieldError.invalid("spec.selector", GoValues.labelSelector(selector), "invalid label selector"));
        } else {
            // A missing selector selects nothing, so it never matches the template either (as Kubernetes reports it).
            boolean empty = selector != null && !selector.isNull()
                    && selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
            JsonNode labels = Json.at(spec, "template", "metadata", "labels");
            if (!empty && !LabelSelector.fromJson(selector).matches(Json.stringMap(labels))) {
                errors.add(FieldError.invalid("spec.template.metadata.labels",
                        labels == null ? "map[string]string(nil)" : GoValues.render(labels), "`selector` does not match template `labels`"));
            }
        }
        JsonNode template = Json.at(spec, "template", "spec");
        if (template == null) {
            errors.add(FieldError.required("spec.template.spec.containers", ""));
        } else {
            podSpec(template, "spec.template.spec", errors);
        }
    }

    /** metav1 ValidateLabelSelector; returns whether the selector also converts (LabelSelectorAsSelector). */
    private static boolean labelSelector(JsonNode selector, String path, List<FieldError> errors) {
        boolean convertible = true;
        JsonNode matchLabels = selector.path("matchLabels");
        if (matchLabels.isObject()) {
            for (var e : matchLabels.properties()) {
                List<String> keyErrors = LabelRules.qualifiedNameErrors(e.getKey());
                List<String> valueErrors = LabelRules.labelValueErrors(e.getValue().asText());
                keyErrors.forEach(m -> errors.add(FieldError.invalid(path + ".matchLabels", FieldError.quote(e.getKey()), m)));
                valueErrors.forEach(m -> errors.add(FieldError.invalid(path + ".matchLabels", FieldError.quote(e.getValue().asText()), m)));
                convertible &= keyErrors.isEmpty() && valueErrors.isEmpty();
            }
        }
        JsonNode exprs = selector.path("matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            JsonNode expr = exprs.get(i);
            String p = path + ".matchExpressions[" + i + "]";
            String op = expr.path("operator").asText("");
            int values = expr.path("values").size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(FieldError.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                        convertible = false;
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(FieldError.forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                        convertible = false;
                    }
                }
                default -> {
                    errors.add(FieldError.invalid(p + ".operator", FieldError.quote(op), "not a valid selector operator"));
                    convertible = false;
                }
            }
            String key = expr.path("key").asText("");
            List<String> keyErrors = LabelRules.qualifiedNameErrors(key);
            keyErrors.forEach(m -> errors.add(FieldError.invalid(p + ".key", FieldError.quote(key), m)));
            convertible &= keyErrors.isEmpty();
            for (int j = 0; j < values; j++) {
                String value = expr.path("values").get(j).asText();
                int index = j;
                List<String> valueErrors = LabelRules.labelValueErrors(value);
                valueErrors.forEach(m -> errors.add(FieldError.invalid(p + ".values[" + index + "]", FieldError.quote(value), m)));
                convertible &= valueErrors.isEmpty();
            }
        }
        return convertible;
    }

    static void job(JsonNode spec, List<FieldError> errors) {
        job(spec, "spec", errors);
        JsonNode selector = spec.get("selector");
        if (selector == null || selector.isNull()) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            selectorMatchesTemplate(spec, selector, errors);
        }
    }

    private static void selectorMatchesTemplate(JsonNode spec, JsonNode selector, List<FieldError> errors) {
        JsonNode labels = Json.at(spec, "template", "metadata", "labels");
        try {
            if (!LabelSelector.fromJson(selector).matches(Json.stringMap(labels))) {
                errors.add(FieldError.invalid("spec.template.metadata.labels",
                        labels == null ? "map[string]string(nil)" : GoValues.render(labels), "`selector` does not match template `labels`"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.invalid("spec.selector.matchExpressions", null, e.getMessage()));
        }
    }

    /** A Job's spec, or a CronJob's job template's, at path. */
    private static void job(JsonNode spec, String path, List<FieldError> errors) {
        JsonNode template = Json.at(spec, "template", "spec");
        if (template == null) {
            errors.add(FieldError.required(path + ".template.spec.containers", ""));
            return;
        }
        podSpec(template, path + ".template.spec", errors);
        String restart = template.path("restartPolicy").asText("");
        if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errors.add(FieldError.notSupported(path + ".template.spec.restartPolicy", FieldError.quote(restart),
                    "supported values: \"OnFailure\", \"Never\""));
        }
        for (String f : List.of("parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished")) {
            nonNegative(spec, f, path + "." + f, errors);
        }
        String mode = spec.path("completionMode").asText("NonIndexed");
        if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            errors.add(FieldError.notSupported(path + ".completionMode", FieldError.quote(mode), "supported values: \"NonIndexed\", \"Indexed\""));
        } else if (mode.equals("Indexed") && !spec.path("completions").isNumber()) {
            errors.add(FieldError.required(path + ".completions", "when completion mode is Indexed"));
        }
    }

    /** A CronJob: a schedule robfig/cron accepts, a time zone Go knows, and a valid job template. */
    static void cronJob(JsonNode obj, List<FieldError> errors) {
        JsonNode spec = obj.path("spec");
        String name = obj.path("metadata").path("name").asText("");
        if (name.length() > 52) {
            errors.add(FieldError.invalid("metadata.name", FieldError.quote(name), "must be no more than 52 characters"));
        }
        String schedule = spec.path("schedule").asText("");
        JsonNode timeZone = spec.get("timeZone");
        boolean hasZone = timeZone != null && !timeZone.isNull();
        if (schedule.isEmpty()) {
            errors.add(FieldError.required("spec.schedule", ""));
        } else {
            try {
                CronSchedule.parse(schedule, java.time.ZoneOffset.UTC);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.invalid("spec.schedule", FieldError.quote(schedule), e.getMessage()));
            }
            if (schedule.contains("TZ") && hasZone) {
                errors.add(FieldError.invalid("spec.schedule", FieldError.quote(schedule), "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            }
        }
        if (hasZone) {
            String zone = timeZone.asText();
            if (zone.isEmpty()) {
                errors.add(FieldError.invalid("spec.timeZone", FieldError.quote(zone), "timeZone must be nil or non-empty string"));
            } else if (zone.equalsIgnoreCase("Local")) {
                errors.add(FieldError.invalid("spec.timeZone", FieldError.quote(zone),
                        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            } else if (CronSchedule.zoneOf(zone).isEmpty()) {
                errors.add(FieldError.invalid("spec.timeZone", FieldError.quote(zone), "unknown time zone " + zone));
            }
        }
        String policy = spec.path("concurrencyPolicy").asText("Allow");
        if (!Set.of("Allow", "Forbid", "Replace").contains(policy)) {
            errors.add(FieldError.notSupported("spec.concurrencyPolicy", FieldError.quote(policy),
                    "supported values: \"Allow\", \"Forbid\", \"Replace\""));
        }
        for (String f : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            nonNegative(spec, f, "spec." + f, errors);
        }
        JsonNode jobSpec = Json.at(spec, "jobTemplate", "spec");
        if (jobSpec == null) {
            errors.add(FieldError.required("spec.jobTemplate.spec.template.spec.containers", ""));
        } else {
            job(jobSpec, "spec.jobTemplate.spec", errors);
        }
    }

    static void service(JsonNode spec, List<FieldError> errors) {
        String type = spec.path("type").asText("ClusterIP");
        if (!SERVICE_TYPES.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", FieldError.quote(type),
                    "supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""));
        }
        boolean headless = "None".equals(spec.path("clusterIP").asText());
        JsonNode ports = spec.path("ports");
        if (!type.equals("ExternalName") && !headless && (!ports.isArray() || ports.isEmpty())) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        java.util.Set<String> nodePorts = new java.util.HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i).path("port");
            if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65535) {
                errors.add(FieldError.invalid("spec.ports[" + i + "].port", GoValues.render(port), "must be between 1 and 65535, inclusive"));
            }
            int nodePort = ports.get(i).path("nodePort").asInt(0);
            if (nodePort != 0 && (type.equals("ClusterIP") || type.equals("ExternalName"))) {
                errors.add(FieldError.forbidden("spec.ports[" + i + "].nodePort", "may not be used when `type` is '" + type + "'"));
            } else if (nodePort != 0 && !nodePorts.add(nodePort + "/" + ports.get(i).path("protocol").asText("TCP"))) {
                errors.add(FieldError.duplicate("spec.ports[" + i + "].nodePort", Integer.toString(nodePort)));
            }
        }
    }

    static void dataKeys(JsonNode obj, List<FieldError> errors) {
        for (String field : List.of("data", "binaryData", "stringData")) {
            JsonNode data = obj.path(field);
            if (data.isObject()) {
                data.fieldNames().forEachRemaining(k -> {
                    if (!k.matches("[-._a-zA-Z0-9]+") || k.length() > 253) {
                        errors.add(FieldError.invalid(field, FieldError.quote(k),
                                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  "
                                        + "or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
                    }
                });
            }
        }
    }

    private static void nonNegative(JsonNode spec, String field, String path, List<FieldError> errors) {
        JsonNode v = spec.get(field);
        if (v != null && v.isNumber() && v.asLong() < 0) {
            errors.add(FieldError.invalid(path, v.asText(), "must be greater than or equal to 0"));
        }
    }
}
