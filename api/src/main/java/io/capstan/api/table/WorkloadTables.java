package io.capstan.api.table;

import static io.capstan.api.table.Cells.integer;
import static io.capstan.api.table.Cells.name;
import static io.capstan.api.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The controllers' kinds: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob and friends. */
final class WorkloadTables {

    private WorkloadTables() {}

    static final KindTable DEPLOYMENT = new KindTable(Columns.name()
            .string("Ready", "Number of the pod with ready state")
            .string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.")
            .string("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.")
            .age().containersWide()
            .wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected "
                    + "by this deployment.")
            .build(),
            (d, now) -> withWide(List.of(name(d),
                    integer(d, "status", "readyReplicas") + "/" + integer(d, "spec", "replicas"),
                    integer(d, "status", "updatedReplicas"), integer(d, "status", "availableReplicas"), TableConvertor.age(d, now)),
                    Cells.containersAndImages(template(d).path("containers")),
                    Cells.selectorString(d.path("spec").path("selector"), "<invalid>")));

    private static final List<TableColumn> REPLICAS_COLUMNS = Columns.name()
            .integer("Desired", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero "
                    + "and unspecified. Defaults to 1. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller")
            .integer("Current", "Replicas is the most recently observed number of replicas. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller")
            .integer("Ready", "The number of ready replicas for this replica set.")
            .age().containersWide().wide("Selector", Columns.SELECTOR_DESCRIPTION)
            .build();

    static final KindTable REPLICA_SET = new KindTable(REPLICAS_COLUMNS,
            (rs, now) -> withWide(replicaCells(rs, now), Cells.containersAndImages(template(rs).path("containers")),
                    Cells.labelSelector(rs.path("spec").path("selector"))));

    static final KindTable REPLICATION_CONTROLLER = new KindTable(REPLICAS_COLUMNS,
            (rc, now) -> withWide(replicaCells(rc, now), Cells.containersAndImages(template(rc).path("containers")),
                    Cells.labels(rc.path("spec").path("selector"))));

    static final KindTable STATEFUL_SET = new KindTable(Columns.name()
            .string("Ready", "Number of the pod with ready state").age().containersWide().build(),
            (s, now) -> withWide(List.of(name(s), integer(s, "status", "readyReplicas") + "/" + integer(s, "spec", "replicas"),
                    TableConvertor.age(s, now)), Cells.containersAndImages(template(s).path("containers"))));

    static final KindTable DAEMON_SET = new KindTable(Columns.name()
            .integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running "
                    + "the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/")
            .integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. "
                    + "More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/")
            .integer("Ready", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the "
                    + "daemon pod running with a Ready Condition. ")
            .integer("Up-to-date", "The total number of nodes that are running updated daemon pod")
            .integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod "
                    + "running and available (ready for at least spec.minReadySeconds)")
            .string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must "
                    + "match a node's labels for the pod to be scheduled on that node. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/")
            .age().containersWide()
            .wide("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It "
                    + "must match the pod template's labels. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
            .build(),
            (ds, now) -> withWide(List.of(name(ds), integer(ds, "status", "desiredNumberScheduled"),
                    integer(ds, "status", "currentNumberScheduled"), integer(ds, "status", "numberReady"),
                    integer(ds, "status", "updatedNumberScheduled"), integer(ds, "status", "numberAvailable"),
                    Cells.labels(template(ds).path("nodeSelector")), TableConvertor.age(ds, now)),
                    Cells.containersAndImages(template(ds).path("containers")), Cells.labelSelector(ds.path("spec").path("selector"))));

    static final KindTable JOB = new KindTable(Columns.name()
            .string("Status", "Status of the job.")
            .string("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically for a given "
                    + "spec. However, it may decrease in reaction to scale down of elastic indexed jobs.")
            .string("Duration", "Time required to complete the job.")
            .age().containersWide()
            .wide("Selector", "A label query over pods that should match the pod count. Normally, the system sets this field for you. "
                    + "More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
            .build(),
            (job, now) -> withWide(List.of(name(job), jobStatus(job), completions(job), jobDuration(job, now),
                    TableConvertor.age(job, now)), Cells.containersAndImages(template(job).path("containers")),
                    Cells.labelSelector(job.path("spec").path("selector"))));

    static final KindTable CRON_JOB = new KindTable(Columns.name()
            .string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.")
            .string("Timezone", "The time zone name for the given schedule, see "
                    + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time "
                    + "zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is "
                    + "loaded from the system-wide time zone database by the API server during CronJob validation and the controller "
                    + "manager during execution. If no system-wide time zone database can be found a bundled version of the database "
                    + "is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in "
                    + "host configuration, the controller will stop creating new new Jobs and will create a system event with the "
                    + "reason UnknownTimeZone. More information can be found in "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones")
            .bool("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started "
                    + "executions.  Defaults to false.")
            .integer("Active", "A list of pointers to currently running jobs.")
            .string("Last Schedule", "Information when was the last time the job was successfully scheduled.")
            .age().containersWide()
            .wide("Selector", "A label query over pods that should match the pod count. Normally, the system sets this field for you. "
                    + "More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors")
            .build(),
            (cj, now) -> {
                JsonNode jobSpec = cj.path("spec").path("jobTemplate").path("spec");
                String last = text(cj, "status", "lastScheduleTime");
                String zone = text(cj, "spec", "timeZone");
                return withWide(List.of(name(cj), text(cj, "spec", "schedule"), zone.isEmpty() ? Cells.NONE : zone,
                        Cells.boolPtr(cj.path("spec").path("suspend")), (long) cj.path("status").path("active").size(),
                        last.isEmpty() ? Cells.NONE : Cells.since(last, now), TableConvertor.age(cj, now)),
                        Cells.containersAndImages(jobSpec.path("template").path("spec").path("containers")),
                        Cells.labelSelector(jobSpec.path("selector")));
            });

    static final KindTable POD_TEMPLATE = new KindTable(Columns.name()
            .string("Containers", Columns.CONTAINERS_DESCRIPTION)
            .string("Images", Columns.IMAGES_DESCRIPTION)
            .string("Pod Labels", "The labels for the pod template.")
            .build(),
            (pt, now) -> withWide(List.of(name(pt)), Cells.containersAndImages(template(pt).path("containers")),
                    Cells.labels(pt.path("template").path("metadata").path("labels"))));

    static final KindTable CONTROLLER_REVISION = new KindTable(Columns.name()
            .string("Controller", "Controller of the object")
            .string("Revision", "Revision indicates the revision of the state represented by Data.")
            .age().build(),
            (cr, now) -> List.of(name(cr), controllerOf(cr), integer(cr, "revision"), TableConvertor.age(cr, now)));

    static final KindTable POD_DISRUPTION_BUDGET = new KindTable(Columns.name()
            .string("Min Available", "The minimum number of pods that must be available.")
            .string("Max Unavailable", "The maximum number of pods that may be unavailable.")
            .integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time.")
            .age().build(),
            (pdb, now) -> {
                JsonNode spec = pdb.path("spec");
                return List.of(name(pdb), spec.has("minAvailable") ? Cells.intOrString(spec.path("minAvailable")) : "N/A",
                        spec.has("maxUnavailable") ? Cells.intOrString(spec.path("maxUnavailable")) : "N/A",
                        integer(pdb, "status", "disruptionsAllowed"), TableConvertor.age(pdb, now));
            });

    static final KindTable HORIZONTAL_POD_AUTOSCALER = new KindTable(Columns.name()
            .string("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics "
                    + "should be collected, as well as to actually change the replica count.")
            .string("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the "
                    + "maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying "
                    + "the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used "
                    + "must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more "
                    + "information about how each type of metric must respond.")
            .string("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  "
                    + "It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and "
                    + "at least one Object or External metric is configured.  Scaling is active as long as at least one metric value "
                    + "is available.")
            .string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It "
                    + "cannot be less that minReplicas.")
            .string("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by "
                    + "the autoscaler.")
            .age().build(),
            (hpa, now) -> {
                JsonNode spec = hpa.path("spec");
                String min = spec.path("minReplicas").isNumber() ? Long.toString(spec.path("minReplicas").asLong()) : Cells.UNSET;
                return List.of(name(hpa), text(spec, "scaleTargetRef", "kind") + "/" + text(spec, "scaleTargetRef", "name"),
                        HpaMetrics.format(spec.path("metrics"), hpa.path("status").path("currentMetrics")), min,
                        integer(spec, "maxReplicas"), integer(hpa, "status", "currentReplicas"), TableConvertor.age(hpa, now));
            });

    /** The scale subresource (autoscaling/v1 Scale); its Name column has no "name" format in Kubernetes either. */
    static final KindTable SCALE = new KindTable(Columns.empty()
            .add(new TableColumn("Name", "string", "", Columns.NAME_DESCRIPTION, 0))
            .integer("Desired", "replicas is the desired number of instances for the scaled object.")
            .integer("Available", "replicas is the actual number of observed instances of the scaled object.")
            .age().build(),
            (scale, now) -> List.of(name(scale), integer(scale, "spec", "replicas"), integer(scale, "status", "replicas"),
                    TableConvertor.age(scale, now)));

    private static List<Object> replicaCells(JsonNode obj, Instant now) {
        return List.of(name(obj), integer(obj, "spec", "replicas"), integer(obj, "status", "replicas"),
                integer(obj, "status", "readyReplicas"), TableConvertor.age(obj, now));
    }

    private static JsonNode template(JsonNode obj) {
        JsonNode t = obj.path("spec").path("template");
        return t.isMissingNode() ? obj.path("template").path("spec") : t.path("spec");
    }

    private static List<Object> withWide(List<Object> cells, List<Object> containers, Object... more) {
        List<Object> all = new ArrayList<>(cells);
        all.addAll(containers);
        all.addAll(List.of(more));
        return all;
    }

    private static String completions(JsonNode job) {
        long succeeded = integer(job, "status", "succeeded");
        JsonNode completions = job.path("spec").path("completions");
        if (completions.isNumber()) {
            return succeeded + "/" + completions.asLong();
        }
        long parallelism = integer(job, "spec", "parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String jobDuration(JsonNode job, Instant now) {
        Instant start = Cells.instant(text(job, "status", "startTime"));
        if (start == null) {
            return "";
        }
        Instant end = Cells.instant(text(job, "status", "completionTime"));
        return HumanDuration.format(Duration.between(start, end == null ? now : end));
    }

    private static String jobStatus(JsonNode job) {
        JsonNode conditions = job.path("status").path("conditions");
        if (Cells.conditionTrue(conditions, "Complete")) {
            return "Complete";
        } else if (Cells.conditionTrue(conditions, "Failed")) {
            return "Failed";
        } else if (Cells.deleting(job)) {
            return "Terminating";
        } else if (Cells.conditionTrue(conditions, "Suspended")) {
            return "Suspended";
        } else if (Cells.conditionTrue(conditions, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    /** "daemonset.apps/name" for the owner marked as controller, "<none>" without one. */
    private static String controllerOf(JsonNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                String apiVersion = text(ref, "apiVersion");
                int slash = apiVersion.indexOf('/');
                String group = slash < 0 ? "" : apiVersion.substring(0, slash);
                String kind = text(ref, "kind");
                if (kind.isEmpty() && group.isEmpty()) {
                    return text(ref, "name");
                }
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                return groupKind.toLowerCase(java.util.Locale.ROOT) + "/" + text(ref, "name");
            }
        }
        return Cells.NONE;
    }
}
