package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadTablesTest {

    @Test
    void deploymentShowsReadyOfDesiredAndWideContainersImagesSelector() {
        assertThat(Objects.defaultHeaders(WorkloadTables.DEPLOYMENT)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(Objects.headers(WorkloadTables.DEPLOYMENT)).endsWith("CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row(WorkloadTables.DEPLOYMENT, """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web, tier: front}}
                  template:
                    spec:
                      containers: [{name: nginx, image: "nginx:1.27"}, {name: log, image: busybox}]
                status: {replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2}
                """.formatted(ago("2h")))).containsExactly("web", "2/3", 3L, 2L, "120m", "nginx,log", "nginx:1.27,busybox",
                "app=web,tier=front");
    }

    @Test
    void deploymentWithoutStatusIsZeroOfDesired() {
        assertThat(row(WorkloadTables.DEPLOYMENT, """
                metadata: {name: web}
                spec: {replicas: 2, selector: {matchExpressions: [{key: app, operator: In, values: [b, a]}]}}
                """)).containsExactly("web", "0/2", 0L, 0L, "<unknown>", "", "", "app in (a,b)");
    }

    @Test
    void replicaSetAndReplicationControllerShowDesiredCurrentReady() {
        assertThat(Objects.headers(WorkloadTables.REPLICA_SET))
                .containsExactly("NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
        assertThat(row(WorkloadTables.REPLICA_SET, """
                metadata: {name: web-5d4f, creationTimestamp: "%s"}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web, pod-template-hash: 5d4f}}
                  template: {spec: {containers: [{name: nginx, image: nginx}]}}
                status: {replicas: 3, readyReplicas: 1}
                """.formatted(ago("45s")))).containsExactly("web-5d4f", 3L, 3L, 1L, "45s", "nginx", "nginx",
                "app=web,pod-template-hash=5d4f");
        assertThat(row(WorkloadTables.REPLICATION_CONTROLLER, """
                metadata: {name: rc}
                spec: {replicas: 1, selector: {app: rc}, template: {spec: {containers: [{name: c, image: i}]}}}
                """)).containsExactly("rc", 1L, 0L, 0L, "<unknown>", "c", "i", "app=rc");
    }

    @Test
    void statefulSetShowsReadyOfDesired() {
        assertThat(Objects.headers(WorkloadTables.STATEFUL_SET)).containsExactly("NAME", "READY", "AGE", "CONTAINERS", "IMAGES");
        assertThat(row(WorkloadTables.STATEFUL_SET, """
                metadata: {name: db}
                spec: {replicas: 3, template: {spec: {containers: [{name: pg, image: postgres}]}}}
                status: {readyReplicas: 1}
                """)).containsExactly("db", "1/3", "<unknown>", "pg", "postgres");
    }

    @Test
    void daemonSetShowsSchedulingCountsAndNodeSelector() {
        assertThat(Objects.defaultHeaders(WorkloadTables.DAEMON_SET))
                .containsExactly("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE");
        assertThat(row(WorkloadTables.DAEMON_SET, """
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template: {spec: {nodeSelector: {kubernetes.io/os: linux}, containers: [{name: a, image: agent}]}}
                status: {desiredNumberScheduled: 4, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2}
                """)).containsExactly("agent", 4L, 3L, 2L, 3L, 2L, "kubernetes.io/os=linux", "<unknown>", "a", "agent", "app=agent");
        assertThat(row(WorkloadTables.DAEMON_SET, "metadata: {name: x}\nspec: {template: {spec: {containers: []}}}").get(6))
                .isEqualTo("<none>");
    }

    @Test
    void jobShowsStatusCompletionsAndDuration() {
        assertThat(Objects.defaultHeaders(WorkloadTables.JOB)).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
        assertThat(row(WorkloadTables.JOB, """
                metadata: {name: pi, creationTimestamp: "%s"}
                spec:
                  completions: 1
                  selector: {matchLabels: {batch.kubernetes.io/controller-uid: abc}}
                  template: {spec: {containers: [{name: pi, image: perl}]}}
                status:
                  succeeded: 1
                  startTime: "%s"
                  completionTime: "%s"
                  conditions: [{type: SuccessCriteriaMet, status: "True"}, {type: Complete, status: "True"}]
                """.formatted(ago("5m"), ago("5m"), ago("4m40s")))).containsExactly("pi", "Complete", "1/1", "20s", "5m", "pi", "perl",
                "batch.kubernetes.io/controller-uid=abc");
    }

    @Test
    void jobStatusAndCompletionsFollowConditionsAndParallelism() {
        String base = "metadata: {name: j}\nspec: {parallelism: 3, template: {spec: {containers: []}}}\n";
        assertThat(row(WorkloadTables.JOB, base + "status: {succeeded: 1, startTime: \"" + ago("90s") + "\"}").subList(1, 4))
                .containsExactly("Running", "1/1 of 3", "90s");
        assertThat(row(WorkloadTables.JOB, base + "status: {conditions: [{type: Failed, status: \"True\"}]}").subList(1, 4))
                .containsExactly("Failed", "0/1 of 3", "");
        assertThat(row(WorkloadTables.JOB, base + "status: {conditions: [{type: Suspended, status: \"True\"}]}").get(1))
                .isEqualTo("Suspended");
        assertThat(row(WorkloadTables.JOB, base + "status: {conditions: [{type: FailureTarget, status: \"True\"}]}").get(1))
                .isEqualTo("FailureTarget");
        assertThat(row(WorkloadTables.JOB, "metadata: {name: j, deletionTimestamp: \"" + ago("1s") + "\"}\nspec: {}").subList(1, 3))
                .containsExactly("Terminating", "0/1");
    }

    @Test
    void cronJobShowsScheduleTimezoneSuspendActiveAndLastSchedule() {
        assertThat(Objects.defaultHeaders(WorkloadTables.CRON_JOB))
                .containsExactly("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE");
        assertThat(row(WorkloadTables.CRON_JOB, """
                metadata: {name: tick, creationTimestamp: "%s"}
                spec:
                  schedule: "*/5 * * * *"
                  suspend: false
                  jobTemplate: {spec: {template: {spec: {containers: [{name: t, image: busybox}]}}}}
                status: {active: [{name: tick-1}], lastScheduleTime: "%s"}
                """.formatted(ago("3h"), ago("2m")))).containsExactly("tick", "*/5 * * * *", "<none>", "False", 1L, "2m", "3h",
                "t", "busybox", "<none>");
        assertThat(row(WorkloadTables.CRON_JOB, "metadata: {name: t}\nspec: {schedule: \"@daily\", timeZone: Etc/UTC}").subList(2, 6))
                .containsExactly("Etc/UTC", "<unset>", 0L, "<none>");
    }

    @Test
    void podTemplateShowsContainersImagesAndPodLabels() {
        assertThat(Objects.headers(WorkloadTables.POD_TEMPLATE)).containsExactly("NAME", "CONTAINERS", "IMAGES", "POD LABELS");
        assertThat(row(WorkloadTables.POD_TEMPLATE, """
                metadata: {name: t}
                template:
                  metadata: {labels: {b: "2", a: "1"}}
                  spec: {containers: [{name: c, image: i}]}
                """)).containsExactly("t", "c", "i", "a=1,b=2");
    }

    @Test
    void controllerRevisionNamesItsControllerWithGroup() {
        assertThat(Objects.headers(WorkloadTables.CONTROLLER_REVISION)).containsExactly("NAME", "CONTROLLER", "REVISION", "AGE");
        assertThat(row(WorkloadTables.CONTROLLER_REVISION, """
                metadata:
                  name: agent-7d9
                  ownerReferences:
                  - {apiVersion: v1, kind: Pod, name: other, uid: "1"}
                  - {apiVersion: apps/v1, kind: DaemonSet, name: agent, uid: "2", controller: true}
                revision: 4
                """)).containsExactly("agent-7d9", "daemonset.apps/agent", 4L, "<unknown>");
        assertThat(row(WorkloadTables.CONTROLLER_REVISION, "metadata: {name: r}\nrevision: 1").get(1)).isEqualTo("<none>");
    }

    @Test
    void podDisruptionBudgetShowsIntOrStringBoundsOrNA() {
        assertThat(Objects.headers(WorkloadTables.POD_DISRUPTION_BUDGET))
                .containsExactly("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE");
        assertThat(row(WorkloadTables.POD_DISRUPTION_BUDGET, "metadata: {name: p}\nspec: {minAvailable: 2}\nstatus: {disruptionsAllowed: 1}"))
                .containsExactly("p", "2", "N/A", 1L, "<unknown>");
        assertThat(row(WorkloadTables.POD_DISRUPTION_BUDGET, "metadata: {name: p}\nspec: {maxUnavailable: 25%}").subList(1, 4))
                .containsExactly("N/A", "25%", 0L);
    }

    @Test
    void horizontalPodAutoscalerShowsReferenceTargetsAndBounds() {
        assertThat(Objects.headers(WorkloadTables.HORIZONTAL_POD_AUTOSCALER))
                .containsExactly("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE");
        assertThat(row(WorkloadTables.HORIZONTAL_POD_AUTOSCALER, """
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 1
                  maxReplicas: 10
                  metrics:
                  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}
                  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 1Gi}}}
                  - {type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: "10"}}}
                status:
                  currentReplicas: 2
                  currentMetrics:
                  - {type: Resource, resource: {name: cpu, current: {averageUtilization: 40, averageValue: 200m}}}
                """)).containsExactly("web", "Deployment/web", "cpu: 40%/80%, memory: <unknown>/1Gi + 1 more...", "1", 10L, 2L,
                "<unknown>");
        assertThat(row(WorkloadTables.HORIZONTAL_POD_AUTOSCALER, "metadata: {name: h}\nspec: {maxReplicas: 3}").subList(2, 4))
                .containsExactly("<none>", "<unset>");
    }

    @Test
    void scaleSubresourceShowsDesiredAndAvailable() {
        assertThat(Objects.headers(TableConvertor.forScale())).containsExactly("NAME", "DESIRED", "AVAILABLE", "AGE");
        assertThat(TableConvertor.forScale().columns().getFirst().format()).isEmpty();
        assertThat(row(TableConvertor.forScale(), "metadata: {name: web}\nspec: {replicas: 3}\nstatus: {replicas: 2, selector: app=web}"))
                .containsExactly("web", 3L, 2L, "<unknown>");
    }
}
