package io.capstan.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;

/** The arithmetic of a rolling update, as Kubernetes' deployment util computes it. */
final class RollingMath {

    private RollingMath() {}

    /** maxSurge and maxUnavailable resolved against replicas: surge rounds up, unavailable down; both 0 means 1 unavailable. */
    record Limits(int maxSurge, int maxUnavailable) {}

    static Limits limits(JsonNode deployment) {
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
        if (!"RollingUpdate".equals(deployment.path("spec").path("strategy").path("type").asText("RollingUpdate"))) {
            return new Limits(0, 0);
        }
        int surge = resolve(rolling.path("maxSurge"), replicas, true, "25%");
        int unavailable = resolve(rolling.path("maxUnavailable"), replicas, false, "25%");
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new Limits(surge, Math.min(unavailable, replicas));
    }

    /** An IntOrString: a number, or "N%" of total rounded up or down. */
    static int resolve(JsonNode value, int total, boolean roundUp, String fallback) {
        String v = value.isMissingNode() || value.isNull() ? fallback : value.asText();
        if (value.isInt()) {
            return value.asInt();
        }
        if (v.endsWith("%")) {
            int percent = Integer.parseInt(v.substring(0, v.length() - 1));
            return roundUp ? (int) Math.ceil(total * percent / 100.0) : (int) Math.floor(total * percent / 100.0);
        }
        return Integer.parseInt(v);
    }

    /** How many replicas the new ReplicaSet may have now (NewRSNewReplicas for RollingUpdate). */
    static int newReplicaSetReplicas(int desired, int maxSurge, int allReplicas, int newReplicas) {
        int maxTotal = desired + maxSurge;
        if (allReplicas >= maxTotal) {
            return newReplicas;
        }
        int scaleUp = Math.min(maxTotal - allReplicas, desired - newReplicas);
        return newReplicas + Math.max(0, scaleUp);
    }
}
