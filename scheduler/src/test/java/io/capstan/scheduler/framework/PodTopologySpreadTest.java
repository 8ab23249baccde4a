package io.capstan.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.scheduler.plugins.PodTopologySpread;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** topologySpreadConstraints on hand-built snapshots. */
class PodTopologySpreadTest {

    final Snapshot s = new Snapshot();

    static String web(String name, String constraint) {
        return """
                {"metadata":{"name":"%s","labels":{"app":"web","version":"v1"}},"spec":{"topologySpreadConstraints":[%s]}}"""
                .formatted(name, constraint);
    }

    static final String ZONE_HARD = """
            {"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}""";

    void twoZones() {
        s.node("a1", "8", Map.of("zone", "a"));
        s.node("a2", "8", Map.of("zone", "a"));
        s.node("b1", "8", Map.of("zone", "b"));
    }

    /** The filter's verdict on one node, prepared over the whole snapshot. */
    String reason(String pod, String node) {
        return new PodTopologySpread().check(Snapshot.pod(pod), s.cluster.nodes()).reasonUnfit(s.cluster.node(node));
    }

    @Test
    void doNotScheduleKeepsTheSkewBetweenZonesWithinMaxSkew() {
        twoZones();
        s.place("a1", web("x", ZONE_HARD));

        // zone a has 1, zone b 0: another in a would make the skew 2.
        assertThat(s.schedule(web("y", ZONE_HARD)).node()).isEqualTo("b1");
        s.place("b1", web("y", ZONE_HARD));
        s.place("b1", web("z", ZONE_HARD));
        // Now a has 1 and b 2: b is refused, a takes it.
        assertThat(reason(web("w", ZONE_HARD), "b1")).isEqualTo("node(s) didn't match pod topology spread constraints");
        assertThat(s.schedule(web("w", ZONE_HARD)).node()).isIn("a1", "a2");
    }

    @Test
    void aNodeWithoutTheTopologyKeyIsRefusedWithItsOwnMessage() {
        s.node("bare", "8", Map.of());
        assertThat(s.schedule(web("x", ZONE_HARD)).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label).");
    }

    @Test
    void minDomainsCountsMissingDomainsAsEmpty() {
        twoZones();
        String threeDomains = ZONE_HARD.replace("\"maxSkew\":1", "\"maxSkew\":1,\"minDomains\":3");
        s.place("a1", web("x", threeDomains));
        s.place("b1", web("y", threeDomains));
        // Two domains of three wanted: the global minimum is 0, so a domain with 1 already is full.
        assertThat(s.schedule(web("z", threeDomains)).message())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints.");
        assertThat(s.schedule(web("z", ZONE_HARD)).scheduled()).isTrue();
    }

    @Test
    void nodeAffinityPolicyHonorLeavesExcludedNodesOutOfTheCount() {
        twoZones();
        s.node("c1", "8", Map.of("zone", "c", "pool", "spare"));
        s.place("a1", web("x", ZONE_HARD));
        s.place("b1", web("y", ZONE_HARD));
        String avoidSpare = """
                {"metadata":{"name":"z","labels":{"app":"web"}},"spec":{"nodeSelector":{"zone":"a"},
                 "topologySpreadConstraints":[%s]}}""";
        // zone c is not eligible (nodeSelector), so its 0 does not hold zone a back.
        assertThat(s.schedule(avoidSpare.formatted(ZONE_HARD)).node()).isIn("a1", "a2");
        String ignore = ZONE_HARD.replace("\"maxSkew\":1", "\"maxSkew\":1,\"nodeAffinityPolicy\":\"Ignore\"");
        assertThat(s.schedule(avoidSpare.formatted(ignore)).scheduled()).isFalse();
    }

    @Test
    void nodeTaintsPolicyHonorLeavesUntoleratedNodesOutOfTheCount() throws Exception {
        s.node("a1", "8", Map.of("zone", "a"));
        s.cluster.upsertNode(NodeInfo.of(io.capstan.api.Json.MAPPER.readTree("""
                {"metadata":{"name":"b1","labels":{"zone":"b"}},"spec":{"taints":[{"key":"dedicated","value":"x","effect":"NoSchedule"}]},
                 "status":{"allocatable":{"cpu":"8","memory":"32Gi","pods":"110"}}}""")));
        s.place("a1", web("x", ZONE_HARD));
        // By default the tainted zone b counts with its 0 pods, so zone a is full.
        assertThat(reason(web("y", ZONE_HARD), "a1")).isEqualTo("node(s) didn't match pod topology spread constraints");
        String honor = ZONE_HARD.replace("\"maxSkew\":1", "\"maxSkew\":1,\"nodeTaintsPolicy\":\"Honor\"");
        assertThat(reason(web("y", honor), "a1")).isNull();
    }

    @Test
    void matchLabelKeysNarrowTheSelectorToThePodsOwnValues() {
        twoZones();
        String byVersion = ZONE_HARD.replace("\"labelSelector\"", "\"matchLabelKeys\":[\"version\"],\"labelSelector\"");
        s.place("a1", "{\"metadata\":{\"name\":\"old\",\"labels\":{\"app\":\"web\",\"version\":\"v0\"}},\"spec\":{}}");
        s.place("a2", "{\"metadata\":{\"name\":\"old2\",\"labels\":{\"app\":\"web\",\"version\":\"v0\"}},\"spec\":{}}");
        // Old-version pods do not count for a v1 pod: both zones are at 0.
        assertThat(reason(web("n", byVersion), "a1")).isNull();
        assertThat(reason(web("n", ZONE_HARD), "a1")).isEqualTo("node(s) didn't match pod topology spread constraints");
    }

    @Test
    void scheduleAnywayPrefersTheEmptierZoneWithoutRefusingTheFuller() {
        twoZones();
        String soft = ZONE_HARD.replace("DoNotSchedule", "ScheduleAnyway");
        s.place("a1", web("x", soft));
        s.place("a2", web("y", soft));
        assertThat(s.schedule(web("z", soft)).node()).isEqualTo("b1");
        Decision onlyA = s.algorithm.schedule(Snapshot.pod(web("z", soft)), java.util.List.of(s.cluster.node("a1")));
        assertThat(onlyA.scheduled()).isTrue();
    }

    @Test
    void systemDefaultsSpreadAWorkloadOverZones() {
        s.node("a1", "8", Map.of("topology.kubernetes.io/zone", "a"));
        s.node("a2", "8", Map.of("topology.kubernetes.io/zone", "a"));
        s.node("b1", "8", Map.of("topology.kubernetes.io/zone", "b"));
        s.node("b2", "8", Map.of("topology.kubernetes.io/zone", "b"));
        Map<String, Integer> perZone = new java.util.HashMap<>();
        for (int i = 0; i < 8; i++) {
            String node = s.scheduleAndPlace("""
                    {"metadata":{"name":"p%d","ownerReferences":[{"uid":"rs-1","controller":true}]},"spec":{}}""".formatted(i));
            perZone.merge(s.cluster.node(node).labels().get("topology.kubernetes.io/zone"), 1, Integer::sum);
        }
        assertThat(perZone).containsEntry("a", 4).containsEntry("b", 4);
    }
}
