package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;

/**
 * The Job storage strategy's generated selector: unless spec.manualSelector is true, a new Job's
 * pod template gets the labels controller-uid and job-name (each in its batch.kubernetes.io/ and
 * legacy form) and the Job selects its pods by batch.kubernetes.io/controller-uid, which no other
 * Job's pods can carry.
 */
final class JobSelector {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";

    private JobSelector() {}

    static void generateIfNeeded(ObjectNode job) {
        ObjectNode spec = Json.with(job, "spec");
        if (!spec.hasNonNull("manualSelector")) {
            spec.put("manualSelector", false);
        }
        if (spec.path("manualSelector").asBoolean()) {
            return;
        }
        String name = Json.text(job, "metadata", "name");
        String uid = Json.text(job, "metadata", "uid");
        ObjectNode labels = Json.with(spec, "template", "metadata", "labels");
        // A label the user set is kept: a conflicting one fails validation, as in Kubernetes.
        for (String key : new String[] {"job-name", JOB_NAME}) {
            if (!labels.has(key)) {
                labels.put(key, name);
            }
        }
        for (String key : new String[] {"controller-uid", CONTROLLER_UID}) {
            if (!labels.has(key)) {
                labels.put(key, uid);
            }
        }
        ObjectNode matchLabels = Json.with(spec, "selector", "matchLabels");
        if (!matchLabels.has(CONTROLLER_UID)) {
            matchLabels.put(CONTROLLER_UID, uid);
        }
    }
}
