package io.capstan.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.api.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preemption on hand-built snapshots. */
class PreemptionTest {

    final Snapshot s = new Snapshot();
    final Preemption preemption = new Preemption(s.algorithm);

    static String pod(String name, String cpu, int priority, String extra) {
        return """
                {"metadata":{"name":"%s","labels":{"app":"%s"},"creationTimestamp":"2026-01-01T00:00:0%dZ"},
                 "spec":{"priority":%d,"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"%s"}}}]%s}}"""
                .formatted(name, name.replaceAll("\\d", ""), Math.abs(name.hashCode()) % 10, priority, cpu, extra);
    }

    Preemption.Result preempt(String json, List<DisruptionBudget> pdbs) {
        return preemption.preempt(Snapshot.pod(json), s.cluster.nodes(), pdbs, "");
    }

    @Test
    void evictsTheFewestLowestPriorityPodsThatMakeRoom() {
        s.node("a", "2", Map.of());
        s.node("b", "2", Map.of());
        s.place("a", pod("low1", "1", 1, ""));
        s.place("a", pod("low2", "1", 1, ""));
        s.place("b", pod("mid1", "1", 5, ""));
        s.place("b", pod("low3", "1", 1, ""));

        Preemption.Result r = preempt(pod("high", "1", 10, ""), List.of());

        // Both nodes work with one victim; b's victim would be... priority 1 too, but a needs only 1 of its 2 low pods.
        assertThat(r.victims()).hasSize(1);
        assertThat(r.victims().getFirst().priority()).isEqualTo(1);
    }

    @Test
    void prefersTheNodeWhoseVictimsMatterLeast() {
        s.node("a", "2", Map.of());
        s.node("b", "2", Map.of());
        s.place("a", pod("mid1", "2", 5, ""));
        s.place("b", pod("low1", "2", 1, ""));

        Preemption.Result r = preempt(pod("high", "2", 10, ""), List.of());

        assertThat(r.node()).isEqualTo("b");
        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("low1");
    }

    @Test
    void equalOrHigherPriorityPodsAreNeverVictims() {
        s.node("a", "2", Map.of());
        s.place("a", pod("same1", "2", 10, ""));

        Preemption.Result r = preempt(pod("high", "1", 10, ""), List.of());

        assertThat(r.found()).isFalse();
        assertThat(r.message()).isEqualTo("0/1 nodes are available: 1 No preemption victims found for incoming pod.");
    }

    @Test
    void nodesWherePreemptionCannotHelpAreNotTried() {
        s.node("a", "2", Map.of());
        s.node("b", "2", Map.of("disk", "hdd"));
        s.place("a", pod("low1", "2", 1, ""));

        Preemption.Result r = preempt(pod("high", "4", 10, ",\"nodeSelector\":{\"disk\":\"hdd\"}"), List.of());

        assertThat(r.message()).isEqualTo("0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void preemptionPolicyNeverMakesThePodWait() {
        s.node("a", "2", Map.of());
        s.place("a", pod("low1", "2", 1, ""));

        Preemption.Result r = preempt(pod("high", "1", 10, ",\"preemptionPolicy\":\"Never\""), List.of());

        assertThat(r.found()).isFalse();
        assertThat(r.message()).isEqualTo("not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void podsGuardedByADisruptionBudgetAreSparedWhereOthersWillDo() {
        s.node("a", "2", Map.of());
        s.place("a", pod("guarded1", "1", 1, ""));
        s.place("a", pod("free1", "1", 1, ""));
        DisruptionBudget pdb = new DisruptionBudget("default", LabelSelector.parse("app=guarded"), 0, Set.of());

        Preemption.Result r = preempt(pod("high", "1", 10, ""), List.of(pdb));

        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("free1");
    }

    @Test
    void aTerminatingVictimOnTheNominatedNodeMeansWaitNotEvictMore() {
        s.node("a", "2", Map.of());
        s.place("a", """
                {"metadata":{"name":"leaving","deletionTimestamp":"2026-01-01T00:00:00Z"},"spec":{"priority":1}}""");
        s.place("a", pod("low1", "2", 1, ""));

        Preemption.Result r = preemption.preempt(Snapshot.pod(pod("high", "1", 10, "")), s.cluster.nodes(), List.of(), "a");

        assertThat(r.message()).isEqualTo("not eligible due to a terminating pod on the nominated node.");
    }

    @Test
    void antiAffinityOfAVictimCanBePreemptedAway() {
        s.node("a", "8", Map.of("kubernetes.io/hostname", "a"));
        s.place("a", """
                {"metadata":{"name":"low"},"spec":{"priority":1,"affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"high"}},"topologyKey":"kubernetes.io/hostname"}]}}}}""");

        Preemption.Result r = preempt(pod("high", "1", 10, ""), List.of());

        assertThat(r.node()).isEqualTo("a");
        assertThat(r.victims()).extracting(PodInfo::name).containsExactly("low");
    }
}
