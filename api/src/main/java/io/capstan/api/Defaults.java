package io.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.crd.CrdTypes;
import io.capstan.api.crd.SchemaDefaulter;
import io.capstan.api.crd.SchemaPruner;

/** Kubernetes' defaulting for the built-in kinds (pkg/apis/*\/v1/defaults.go): fills only what is absent. */
public final class Defaults {

    private Defaults() {}

    public static void apply(ResourceType type, ObjectNode obj) {
        if (type.custom() != null) {
            // Custom objects are pruned to their structural schema, then defaulted from it, as Kubernetes decodes them.
            SchemaPruner.prune(type.custom().schema(), obj);
            SchemaDefaulter.apply(type.custom().schema(), obj);
            return;
        }
        if (type.modelClass() == null) {
            return;
        }
        ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : null;
        switch (type.qualifiedResource()) {
            case "customresourcedefinitions.apiextensions.k8s.io" -> CrdTypes.applyDefaults(obj);
            case "pods" -> {
                if (spec != null) {
                    podSpec(spec);
                }
            }
            case "deployments.apps" -> {
                if (spec != null) {
                    put(spec, "replicas", 1);
                    put(spec, "revisionHistoryLimit", 10);
                    put(spec, "progressDeadlineSeconds", 600);
                    ObjectNode strategy = Json.with(spec, "strategy");
                    putText(strategy, "type", "RollingUpdate");
                    if (strategy.path("type").asText().equals("RollingUpdate")) {
                        ObjectNode ru = Json.with(strategy, "rollingUpdate");
                        putText(ru, "maxUnavailable", "25%");
                        putText(ru, "maxSurge", "25%");
                    }
                    template(spec);
                }
            }
            case "replicasets.apps", "replicationcontrollers" -> {
                if (spec != null) {
                    put(spec, "replicas", 1);
                    template(spec);
                }
            }
            case "statefulsets.apps" -> {
                if (spec != null) {
                    put(spec, "replicas", 1);
                    putText(spec, "podManagementPolicy", "OrderedReady");
                    put(spec, "revisionHistoryLimit", 10);
                    ObjectNode strategy = Json.with(spec, "updateStrategy");
                    putText(strategy, "type", "RollingUpdate");
                    if (strategy.path("type").asText().equals("RollingUpdate")) {
                        put(Json.with(strategy, "rollingUpdate"), "partition", 0);
                    }
                    ObjectNode retention = Json.with(spec, "persistentVolumeClaimRetentionPolicy");
                    putText(retention, "whenDeleted", "Retain");
                    putText(retention, "whenScaled", "Retain");
                    template(spec);
                }
            }
            case "daemonsets.apps" -> {
                if (spec != null) {
                    put(spec, "revisionHistoryLimit", 10);
                    ObjectNode strategy = Json.with(spec, "updateStrategy");
                    putText(strategy, "type", "RollingUpdate");
                    if (strategy.path("type").asText().equals("RollingUpdate")) {
                        ObjectNode ru = Json.with(strategy, "rollingUpdate");
                        put(ru, "maxUnavailable", 1);
                        put(ru, "maxSurge", 0);
                    }
                    template(spec);
                }
            }
            case "jobs.batch" -> {
                if (spec != null) {
                    job(spec);
                }
            }
            case "cronjobs.batch" -> {
                if (spec != null) {
                    putText(spec, "concurrencyPolicy", "Allow");
                    putBool(spec, "suspend", false);
                    put(spec, "successfulJobsHistoryLimit", 3);
                    put(spec, "failedJobsHistoryLimit", 1);
                    JsonNode jobSpec = Json.at(spec, "jobTemplate", "spec");
                    if (jobSpec instanceof ObjectNode js) {
                        job(js);
                    }
                }
            }
            case "services" -> {
                if (spec != null) {
                    service(spec);
                }
            }
            case "namespaces" -> {
                spec = Json.with(obj, "spec");
                if (!spec.has("finalizers")) {
                    spec.putArray("finalizers").add("kubernetes");
                }
                putText(Json.with(obj, "status"), "phase", "Active");
            }
            case "secrets" -> putText(obj, "type", "Opaque");
            case "persistentvolumeclaims" -> {
                if (spec != null) {
                    putText(spec, "volumeMode", "Filesystem");
                }
            }
            default -> { }
        }
    }

    private static void job(ObjectNode spec) {
        put(spec, "parallelism", 1);
        if (!spec.has("completions") && spec.path("parallelism").asInt() == 1) {
            put(spec, "completions", 1);
        }
        put(spec, "backoffLimit", 6);
        putText(spec, "completionMode", "NonIndexed");
        putBool(spec, "suspend", false);
        putText(spec, "podReplacementPolicy", "TerminatingOrFailed");
        template(spec);
    }

    private static void service(ObjectNode spec) {
        putText(spec, "type", "ClusterIP");
        putText(spec, "sessionAffinity", "None");
        if (!spec.path("type").asText().equals("ExternalName")) {
            putText(spec, "ipFamilyPolicy", "SingleStack");
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            putText(spec, "internalTrafficPolicy", "Cluster");
        }
        String type = spec.path("type").asText();
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            putText(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            putBool(spec, "allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                putText(port, "protocol", "TCP");
                if (!port.has("targetPort") && port.has("port")) {
                    port.set("targetPort", port.get("port").deepCopy());
                }
            }
        }
    }

    private static void template(ObjectNode spec) {
        JsonNode podSpec = Json.at(spec, "template", "spec");
        if (podSpec instanceof ObjectNode ps) {
            podSpec(ps);
        }
    }

    private static void podSpec(ObjectNode spec) {
        putText(spec, "restartPolicy", "Always");
        putText(spec, "dnsPolicy", "ClusterFirst");
        put(spec, "terminationGracePeriodSeconds", 30);
        putText(spec, "schedulerName", "default-scheduler");
        if (!spec.has("securityContext")) {
            spec.putObject("securityContext");
        }
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container) {
                    container(container);
                }
            }
        }
    }

    private static void container(ObjectNode c) {
        putText(c, "terminationMessagePath", "/dev/termination-log");
        putText(c, "terminationMessagePolicy", "File");
        String image = c.path("image").asText("");
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        boolean latest = !image.contains("@") && (!lastPart.contains(":") || lastPart.endsWith(":latest"));
        putText(c, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
        if (!c.has("resources")) {
            c.putObject("resources");
        }
        for (JsonNode p : c.path("ports")) {
            if (p instanceof ObjectNode port) {
                putText(port, "protocol", "TCP");
            }
        }
    }

    private static void put(ObjectNode o, String field, int value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }

    private static void putBool(ObjectNode o, String field, boolean value) {
        if (!o.hasNonNull(field)) {
            o.put(field, value);
        }
    }
}
