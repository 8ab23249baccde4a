package io.capstan.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inter-pod affinity and anti-affinity on hand-built snapshots. */
class InterPodAffinityTest {

    final Snapshot s = new Snapshot();

    static String web(String name, String extraSpec) {
        return """
                {"metadata":{"name":"%s","labels":{"app":"web"}},"spec":{%s}}""".formatted(name, extraSpec);
    }

    static final String ANTI_WEB_HOSTNAME = """
            "affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
              {"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"kubernetes.io/hostname"}]}}""";

    void threeHosts() {
        s.node("a", "8", Map.of("kubernetes.io/hostname", "a", "zone", "z1"));
        s.node("b", "8", Map.of("kubernetes.io/hostname", "b", "zone", "z1"));
        s.node("c", "8", Map.of("kubernetes.io/hostname", "c", "zone", "z2"));
    }

    @Test
    void requiredAntiAffinitySpreadsReplicasOneAHostAndLeavesTheFourthPending() {
        threeHosts();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placed.add(s.scheduleAndPlace(web("w" + i, ANTI_WEB_HOSTNAME)));
        }
        assertThat(placed).containsExactlyInAnyOrder("a", "b", "c");

        Decision fourth = s.schedule(web("w3", ANTI_WEB_HOSTNAME));
        assertThat(fourth.scheduled()).isFalse();
        assertThat(fourth.message()).isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    }

    @Test
    void existingPodsAntiAffinityKeepsNewMatchingPodsAwayFromTheirDomain() {
        threeHosts();
        s.place("a", """
                {"metadata":{"name":"loner"},"spec":{"affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"zone"}]}}}}""");

        Decision d = s.algorithm.schedule(Snapshot.pod(web("w", "")), List.of(s.cluster.node("a"), s.cluster.node("b")));
        assertThat(d.message()).isEqualTo("0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules.");
        assertThat(s.schedule(web("w", ""))).extracting(Decision::node).isEqualTo("c");
        // A pod the term does not select goes anywhere.
        assertThat(s.schedule("{\"metadata\":{\"name\":\"other\",\"labels\":{\"app\":\"db\"}},\"spec\":{}}").scheduled()).isTrue();
    }

    @Test
    void requiredAffinityNeedsAMatchingPodInTheDomain() {
        threeHosts();
        String affineToCache = """
                "affinity":{"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"cache"}},"topologyKey":"zone"}]}}""";
        s.place("c", "{\"metadata\":{\"name\":\"cache\",\"labels\":{\"app\":\"cache\"}},\"spec\":{}}");
        assertThat(s.schedule(web("w", affineToCache)).node()).isEqualTo("c");

        s.cluster.removePod("uid-cache");
        Decision none = s.schedule(web("w", affineToCache));
        assertThat(none.message()).isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");
    }

    @Test
    void theFirstPodOfAGroupAffineToItselfIsNotStuck() {
        threeHosts();
        String selfAffine = """
                "affinity":{"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"zone"}]}}""";
        String first = s.scheduleAndPlace(web("w0", selfAffine));
        assertThat(first).isNotNull();
        String zone = s.cluster.node(first).labels().get("zone");
        for (int i = 1; i < 4; i++) {
            assertThat(s.cluster.node(s.scheduleAndPlace(web("w" + i, selfAffine))).labels().get("zone")).isEqualTo(zone);
        }
    }

    @Test
    void namespacesOfATermComeFromItsListOrItsNamespaceSelector() {
        threeHosts();
        s.cluster.setNamespaceLabels("team-a", Map.of("team", "a"));
        s.place("a", "{\"metadata\":{\"name\":\"x\",\"namespace\":\"team-a\",\"labels\":{\"app\":\"web\"}},\"spec\":{}}");
        // Without namespaces the term looks only in the pod's own namespace: team-a's pod does not count.
        assertThat(s.schedule(web("w", ANTI_WEB_HOSTNAME.replace("\"topologyKey\"", "\"namespaces\":[],\"topologyKey\"")))
                .scheduled()).isTrue();
        String bySelector = ANTI_WEB_HOSTNAME.replace("\"topologyKey\"", "\"namespaceSelector\":{\"matchLabels\":{\"team\":\"a\"}},\"topologyKey\"");
        String byName = ANTI_WEB_HOSTNAME.replace("\"topologyKey\"", "\"namespaces\":[\"team-a\"],\"topologyKey\"");
        for (String spec : List.of(bySelector, byName)) {
            Decision d = s.algorithm.schedule(Snapshot.pod(web("w", spec)), List.of(s.cluster.node("a")));
            assertThat(d.message()).isEqualTo("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.");
        }
    }

    @Test
    void preferredAffinityPullsTowardsTheDomainOfMatchingPods() {
        threeHosts();
        s.place("c", "{\"metadata\":{\"name\":\"cache\",\"labels\":{\"app\":\"cache\"}},\"spec\":{}}");
        String prefersCache = """
                "affinity":{"podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":
                  {"labelSelector":{"matchLabels":{"app":"cache"}},"topologyKey":"zone"}}]}}""";
        assertThat(s.schedule(web("w", prefersCache)).node()).isEqualTo("c");
        String avoidsCache = prefersCache.replace("podAffinity", "podAntiAffinity");
        assertThat(s.schedule(web("w", avoidsCache)).node()).isIn("a", "b");
    }
}
