package io.capstan.api.table;

import static io.capstan.api.table.Objects.ago;
import static io.capstan.api.table.Objects.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTableTest {

    private static final TableConvertor EVENTS = EventTable.INSTANCE;

    @Test
    void columnsAreLastSeenTypeReasonObjectMessageWithTheRestWide() {
        assertThat(Objects.defaultHeaders(EVENTS)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        assertThat(Objects.headers(EVENTS)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE",
                "FIRST SEEN", "COUNT", "NAME");
        assertThat(EVENTS.columns().getLast().format()).isEqualTo("name");
    }

    @Test
    void coreEventShowsAgesTargetSourceAndTrimmedMessage() {
        assertThat(row(EVENTS, """
                metadata: {name: web.1}
                involvedObject: {kind: Pod, name: web, fieldPath: "spec.containers{app}"}
                reason: Pulled
                type: Normal
                message: "  Successfully pulled image \\"nginx\\"\\n"
                source: {component: kubelet, host: node-1}
                firstTimestamp: "%s"
                lastTimestamp: "%s"
                count: 4
                """.formatted(ago("10m"), ago("2m")))).containsExactly("2m", "Normal", "Pulled", "pod/web", "spec.containers{app}",
                "kubelet, node-1", "Successfully pulled image \"nginx\"", "10m", 4L, "web.1");
    }

    @Test
    void eventWithOnlyAnEventTimeUsesItAndCountsOne() {
        assertThat(row(EVENTS, """
                metadata: {name: e}
                involvedObject: {kind: Node}
                eventTime: "2026-01-10T11:59:29.500000Z"
                reportingController: capstan-scheduler
                reportingInstance: capstan-1
                message: hello
                """)).containsExactly("30s", "", "", "node", "", "capstan-scheduler, capstan-1", "hello", "30s", 1L, "e");
    }

    @Test
    void eventsApiEventReadsRegardingNoteAndSeries() {
        assertThat(row(EVENTS, """
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: web.2}
                regarding: {kind: Deployment, name: web}
                note: Scaled up replica set web-1 to 3
                reason: ScalingReplicaSet
                type: Normal
                reportingController: deployment-controller
                eventTime: "%s"
                series: {count: 7, lastObservedTime: "%s"}
                """.formatted(ago("1h"), ago("40s")))).containsExactly("40s", "Normal", "ScalingReplicaSet", "deployment/web", "",
                "deployment-controller", "Scaled up replica set web-1 to 3", "60m", 7L, "web.2");
        assertThat(row(EVENTS, """
                metadata: {name: old}
                regarding: {kind: Pod, name: p}
                deprecatedFirstTimestamp: "%s"
                deprecatedLastTimestamp: "%s"
                deprecatedCount: 2
                deprecatedSource: {component: kubelet}
                """.formatted(ago("5m"), ago("1m"))).subList(0, 9)).containsExactly("60s", "", "", "pod/p", "", "kubelet", "", "5m", 2L);
    }
}
