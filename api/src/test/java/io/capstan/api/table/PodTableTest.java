package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodTableTest {

    private static final TableConvertor PODS = PodTable.INSTANCE;

    private static List<Object> pod(String statusAndMore) {
        return row(PODS, """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  containers: [{name: app, image: nginx}, {name: log, image: busybox}]
                %s
                """.formatted(ago("10m"), statusAndMore));
    }

    /** Name, Ready, Status, Restarts, Age. */
    private static List<Object> main(List<Object> cells) {
        return cells.subList(0, 5);
    }

    @Test
    void columnsAreKubernetesPodColumnsWithWideOnesAtPriorityOne() {
        assertThat(Objects.defaultHeaders(PODS)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
        assertThat(Objects.headers(PODS)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");
        assertThat(PODS.columns().getFirst().format()).isEqualTo("name");
        assertThat(PODS.columns().get(3).type()).isEqualTo("string");
    }

    @Test
    void podWithoutStatusIsPendingWithNothingReady() {
        assertThat(main(pod("status: {phase: Pending}"))).containsExactly("web", "0/2", "Pending", "0", "10m");
        assertThat(pod("status: {phase: Pending}").subList(5, 9)).containsExactly("<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void runningReadyContainersCountTowardsReady() {
        List<Object> cells = pod("""
                status:
                  phase: Running
                  podIPs: [{ip: 10.0.0.7}]
                  conditions: [{type: Ready, status: "True"}]
                  containerStatuses:
                  - {name: app, ready: true, restartCount: 0, state: {running: {startedAt: "%s"}}}
                  - {name: log, ready: false, restartCount: 0, state: {running: {startedAt: "%s"}}}
                """.formatted(ago("5m"), ago("5m")));
        assertThat(main(cells)).containsExactly("web", "1/2", "Running", "0", "10m");
    }

    @Test
    void wideCellsShowIpNodeNominatedNodeAndReadinessGates() {
        List<Object> cells = row(PODS, """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  nodeName: node-1
                  containers: [{name: app}]
                  readinessGates: [{conditionType: example.com/lb}, {conditionType: example.com/dns}]
                status:
                  phase: Running
                  podIPs: [{ip: 10.0.0.7}, {ip: "fd00::7"}]
                  nominatedNodeName: node-2
                  conditions: [{type: example.com/lb, status: "True"}, {type: example.com/dns, status: "False"}]
                """.formatted(ago("1h")));
        assertThat(cells.subList(5, 9)).containsExactly("10.0.0.7", "node-1", "node-2", "1/2");
    }

    @Test
    void waitingReasonOfAContainerIsTheStatusAndRestartsShowWhenTheLastOneEnded() {
        List<Object> cells = pod("""
                status:
                  phase: Running
                  containerStatuses:
                  - name: app
                    ready: false
                    restartCount: 5
                    state: {waiting: {reason: CrashLoopBackOff}}
                    lastState: {terminated: {exitCode: 1, finishedAt: "%s"}}
                  - {name: log, ready: true, restartCount: 1, state: {running: {}},
                     lastState: {terminated: {exitCode: 2, finishedAt: "%s"}}}
                """.formatted(ago("5m"), ago("20m")));
        assertThat(main(cells)).containsExactly("web", "1/2", "CrashLoopBackOff", "6 (5m ago)", "10m");
    }

    @Test
    void restartsWithoutAFinishTimeAreJustTheCount() {
        List<Object> cells = pod("""
                status:
                  phase: Running
                  containerStatuses:
                  - {name: app, ready: true, restartCount: 3, state: {running: {}}}
                """);
        assertThat(cells.get(3)).isEqualTo("3");
    }

    @Test
    void terminatedContainersGiveTheirReasonOrExitCodeOrSignal() {
        assertThat(pod("""
                status:
                  phase: Succeeded
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 0, reason: Completed}}}
                """).get(2)).isEqualTo("Completed");
        assertThat(pod("""
                status:
                  phase: Failed
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 3}}}
                """).get(2)).isEqualTo("ExitCode:3");
        assertThat(pod("""
                status:
                  phase: Failed
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 137, signal: 9}}}
                """).get(2)).isEqualTo("Signal:9");
    }

    @Test
    void completedContainerNextToARunningOneReadsRunningOrNotReady() {
        String statuses = """
                  containerStatuses:
                  - {name: app, ready: true, state: {running: {}}}
                  - {name: log, ready: false, state: {terminated: {exitCode: 0, reason: Completed}}}
                """;
        assertThat(pod("status:\n  phase: Running\n  conditions: [{type: Ready, status: \"True\"}]\n" + statuses).get(2))
                .isEqualTo("Running");
        assertThat(pod("status:\n  phase: Running\n  conditions: [{type: Ready, status: \"False\"}]\n" + statuses).get(2))
                .isEqualTo("NotReady");
    }

    @Test
    void initContainersShowProgressWaitingReasonsAndFailures() {
        String spec = """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  initContainers: [{name: one}, {name: two}]
                  containers: [{name: app}]
                status:
                  phase: Pending
                  initContainerStatuses:
                """.formatted(ago("1m"));
        assertThat(row(PODS, spec + """
                  - {name: one, state: {terminated: {exitCode: 0, reason: Completed}}}
                  - {name: two, state: {running: {}}}
                """).subList(1, 3)).containsExactly("0/1", "Init:1/2");
        assertThat(row(PODS, spec + """
                  - {name: one, state: {waiting: {reason: PodInitializing}}}
                  - {name: two, state: {waiting: {reason: PodInitializing}}}
                """).get(2)).isEqualTo("Init:0/2");
        assertThat(row(PODS, spec + """
                  - {name: one, state: {waiting: {reason: ImagePullBackOff}}}
                """).get(2)).isEqualTo("Init:ImagePullBackOff");
        assertThat(row(PODS, spec + """
                  - {name: one, restartCount: 2, state: {terminated: {exitCode: 1}},
                     lastState: {terminated: {exitCode: 1, finishedAt: "%s"}}}
                """.formatted(ago("30s"))).subList(2, 4)).containsExactly("Init:ExitCode:1", "2 (30s ago)");
        assertThat(row(PODS, spec + """
                  - {name: one, state: {terminated: {exitCode: 1, signal: 15}}}
                """).get(2)).isEqualTo("Init:Signal:15");
        assertThat(row(PODS, spec + """
                  - {name: one, state: {terminated: {exitCode: 1, reason: Error}}}
                """).get(2)).isEqualTo("Init:Error");
    }

    @Test
    void sidecarInitContainersCountAsContainersAndTheirRestarts() {
        List<Object> cells = row(PODS, """
                metadata: {name: web, creationTimestamp: "%s"}
                spec:
                  initContainers: [{name: proxy, restartPolicy: Always}]
                  containers: [{name: app}]
                status:
                  phase: Running
                  conditions: [{type: Initialized, status: "True"}]
                  initContainerStatuses:
                  - {name: proxy, ready: true, started: true, restartCount: 2, state: {running: {}},
                     lastState: {terminated: {exitCode: 1, finishedAt: "%s"}}}
                  containerStatuses:
                  - {name: app, ready: true, restartCount: 1, state: {running: {}}}
                """.formatted(ago("1h"), ago("2m")));
        assertThat(main(cells)).containsExactly("web", "2/2", "Running", "3 (2m ago)", "60m");
    }

    @Test
    void deletionMakesARunningPodTerminatingButNotAFinishedOne() {
        String deleting = """
                metadata: {name: web, creationTimestamp: "%s", deletionTimestamp: "%s"}
                spec: {containers: [{name: app}]}
                """.formatted(ago("3m"), ago("1s"));
        assertThat(row(PODS, deleting + "status: {phase: Running}").get(2)).isEqualTo("Terminating");
        assertThat(row(PODS, deleting + "status: {phase: Succeeded}").get(2)).isEqualTo("Succeeded");
        assertThat(row(PODS, deleting + "status: {phase: Running, reason: NodeLost}").get(2)).isEqualTo("Unknown");
    }

    @Test
    void podReasonAndSchedulingGatesOverrideThePhase() {
        assertThat(pod("status: {phase: Failed, reason: Evicted}").get(2)).isEqualTo("Evicted");
        assertThat(pod("""
                status:
                  phase: Pending
                  conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
                """).get(2)).isEqualTo("SchedulingGated");
    }

    @Test
    void finishedPodsCarryACompletedRowCondition() {
        assertThat(PODS.conditions(Objects.yaml("status: {phase: Succeeded}")))
                .containsExactly(new TableRowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
        assertThat(PODS.conditions(Objects.yaml("status: {phase: Failed}")).getFirst().reason()).isEqualTo("Failed");
        assertThat(PODS.conditions(Objects.yaml("status: {phase: Running}"))).isEmpty();
    }
}
