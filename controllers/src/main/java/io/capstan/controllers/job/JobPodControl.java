package io.capstan.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ApiClient;
import io.capstan.client.EventRecorder;
import io.capstan.controllers.Expectations;
import io.capstan.controllers.PodControl;
import io.capstan.controllers.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The Job controller's hands: how many pods a Job should run now, creating them (with their indexes) and deleting the surplus. */
final class JobPodControl {

    static final int MAX_PER_SYNC = 500;

    /** Deletion order: unscheduled, then pending, then not ready, then the newest. */
    private static final Comparator<JsonNode> DELETE_FIRST = Comparator
            .comparing((JsonNode p) -> !p.path("spec").path("nodeName").asText("").isEmpty())
            .thenComparing(p -> !JobPods.phase(p).equals("Pending"))
            .thenComparing(Pods::ready)
            .thenComparing(Comparator.comparing((JsonNode p) -> p.path("metadata").path("creationTimestamp").asText("")).reversed());

    private final Api api;
    private final PodControl pods;
    private final Expectations expectations;

    JobPodControl(Api api, EventRecorder events, Expectations expectations) {
        this.api = api;
        this.pods = new PodControl(api, events);
        this.expectations = expectations;
    }

    /** The outcome of {@link #manage}: active pods now, how many were deleted, and when to look again for a back-off. */
    record Managed(int active, int deleted, Duration requeue) {}

    /** Pods deleted and how many of them were ready. */
    record Deleted(int count, int ready) {}

    /** Creates or deletes pods so that the Job runs as many as it should now. */
    Managed manage(String key, ObjectNode job, List<ObjectNode> owned, List<ObjectNode> active, int succeeded,
                   BitSet succeededIndexes, Instant now) {
        JsonNode spec = job.path("spec");
        int count = active.size();
        if (spec.path("suspend").asBoolean(false)) {
            int removed = delete(key, job, active);
            return new Managed(count - removed, removed, null);
        }
        int parallelism = spec.path("parallelism").asInt(1);
        int want;
        if (!spec.hasNonNull("completions")) {
            want = succeeded > 0 ? count : parallelism; // a work queue: once one pod succeeded, no new ones
        } else {
            want = Math.max(0, Math.min(spec.path("completions").asInt() - succeeded, parallelism));
        }
        List<ObjectNode> surplus = surplus(active, count - want, succeededIndexes, spec.path("completions").asInt(0));
        if (!surplus.isEmpty()) {
            int removed = delete(key, job, surplus);
            return new Managed(count - removed, removed, null);
        }
        int diff = want - count;
        if (diff <= 0) {
            return new Managed(count, 0, null);
        }
        Duration backoff = JobPods.remainingBackoff(job, owned, now);
        if (!backoff.isZero()) {
            return new Managed(count, 0, backoff);
        }
        diff = Math.min(diff, MAX_PER_SYNC);
        List<Integer> indexes = null;
        if (succeededIndexes != null) {
            indexes = pendingIndexes(active, succeededIndexes, diff, spec.path("completions").asInt());
            diff = indexes.size();
        }
        return new Managed(count + create(key, job, diff, indexes), 0, null);
    }

    /** Deletes a finishing Job's running pods, keeping their finalizers so they are counted as failed. */
    Deleted deleteActive(JsonNode job, List<ObjectNode> active) {
        int count = 0;
        int ready = 0;
        for (ObjectNode pod : active) {
            try {
                pods.delete(job, pod);
                count++;
                ready += Pods.ready(pod) ? 1 : 0;
            } catch (StatusException e) {
                // counted as not deleted: the Job is not declared finished before it is
            }
        }
        return new Deleted(count, ready);
    }

    /** Pods to delete: those of invalid, duplicated or already succeeded indexes first, then by rank up to atLeast. */
    private static List<ObjectNode> surplus(List<ObjectNode> active, int atLeast, BitSet succeededIndexes, int completions) {
        List<ObjectNode> out = new ArrayList<>();
        List<ObjectNode> rest = new ArrayList<>();
        if (succeededIndexes != null) {
            Set<Integer> seen = new HashSet<>();
            for (ObjectNode pod : active.stream().sorted(DELETE_FIRST.reversed()).toList()) {
                int index = JobPods.completionIndex(pod);
                if (index < 0 || index >= completions || succeededIndexes.get(index) || !seen.add(index)) {
                    out.add(pod);
                } else {
                    rest.add(pod);
                }
            }
        } else {
            rest.addAll(active);
        }
        if (out.size() < atLeast) {
            rest.stream().sorted(DELETE_FIRST).limit(atLeast - out.size()).forEach(out::add);
        }
        return out;
    }

    /** The lowest indexes that have neither succeeded nor an active pod. */
    private static List<Integer> pendingIndexes(List<ObjectNode> active, BitSet succeeded, int count, int completions) {
        BitSet taken = (BitSet) succeeded.clone();
        active.forEach(p -> {
            int i = JobPods.completionIndex(p);
            if (i >= 0) {
                taken.set(i);
            }
        });
        List<Integer> out = new ArrayList<>();
        for (int i = taken.nextClearBit(0); i < completions && out.size() < count; i = taken.nextClearBit(i + 1)) {
            out.add(i);
        }
        return out;
    }

    /** Creates count pods in slow-start batches (1, 2, 4, ...); returns how many were created. */
    private int create(String key, ObjectNode job, int count, List<Integer> indexes) {
        expectations.expect(key, count, 0);
        String name = Json.text(job, "metadata", "name");
        String ns = Json.text(job, "metadata", "namespace");
        int created = 0;
        int batch = 1;
        while (created < count) {
            int size = Math.min(batch, count - created);
            for (int i = 0; i < size; i++) {
                Integer index = indexes == null ? null : indexes.get(created + i);
                try {
                    pods.create(job, template(job, index), ns, null, index == null ? name + "-" : name + "-" + index + "-");
                } catch (StatusException e) {
                    for (int left = created + i; left < count; left++) {
                        expectations.creationObserved(key); // never to be seen
                    }
                    throw e;
                }
            }
            created += size;
            batch *= 2;
        }
        return created;
    }

    /** The Job's pod template with the tracking finalizer, and for an Indexed Job the index as annotation, label, env and hostname. */
    static ObjectNode template(JsonNode job, Integer index) {
        ObjectNode template = job.path("spec").path("template").isObject()
                ? ((ObjectNode) job.path("spec").path("template")).deepCopy() : Json.object();
        ObjectNode meta = Json.with(template, "metadata");
        ArrayNode finalizers = meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
        finalizers.add(JobPods.TRACKING_FINALIZER);
        if (index != null) {
            Json.with(meta, "annotations").put(JobPods.COMPLETION_INDEX, index.toString());
            Json.with(meta, "labels").put(JobPods.COMPLETION_INDEX, index.toString());
            ObjectNode podSpec = Json.with(template, "spec");
            podSpec.put("hostname", Json.text(job, "metadata", "name") + "-" + index);
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : podSpec.path(list)) {
                    addIndexEnv((ObjectNode) c);
                }
            }
        }
        return template;
    }

    private static void addIndexEnv(ObjectNode container) {
        ArrayNode env = container.get("env") instanceof ArrayNode a ? a : container.putArray("env");
        for (JsonNode e : env) {
            if (e.path("name").asText().equals("JOB_COMPLETION_INDEX")) {
                return;
            }
        }
        ObjectNode var = env.addObject().put("name", "JOB_COMPLETION_INDEX");
        var.putObject("valueFrom").putObject("fieldRef").put("apiVersion", "v1")
                .put("fieldPath", "metadata.annotations['" + JobPods.COMPLETION_INDEX + "']");
    }

    /** Deletes pods the Job no longer wants, first taking off their finalizer: they are not failures. */
    private int delete(String key, JsonNode job, List<ObjectNode> victims) {
        expectations.expect(key, 0, victims.size());
        int removed = 0;
        for (ObjectNode pod : victims) {
            try {
                if (JobPods.tracked(pod)) {
                    dropFinalizer(pod);
                }
                pods.delete(job, pod);
                removed++;
            } catch (StatusException e) {
                expectations.deletionObserved(key);
            }
        }
        return removed;
    }

    private void dropFinalizer(JsonNode pod) {
        api.patch(Kinds.PODS, Json.text(pod, "metadata", "namespace"), Json.text(pod, "metadata", "name"), "", ApiClient.MERGE_PATCH,
                JobPods.untrackPatch(pod));
    }
}
