package io.capstan.controllers.podgc;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodGcControllerTest {

    final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    final FakeApi api = new FakeApi();
    final FakeCache pods = new FakeCache();
    final FakeCache nodes = new FakeCache();
    final PodGcController controller = new PodGcController(api, pods, nodes, clock);

    @Test
    void aPodOnANodeGoneLongerThanTheQuarantineIsFailedAndForceDeleted() {
        pod("orphan", "gone");
        pod("kept", "here");
        ObjectNode here = Json.object();
        here.putObject("metadata").put("name", "here");
        nodes.put(api.seed(Kinds.NODES, here));

        controller.reconcile(PodGcController.PASS);
        assertThat(api.find(Kinds.PODS, "default", "orphan")).isPresent();

        clock.advance(Duration.ofSeconds(41));
        controller.reconcile(PodGcController.PASS);

        assertThat(api.find(Kinds.PODS, "default", "orphan")).isEmpty();
        assertThat(api.find(Kinds.PODS, "default", "kept")).isPresent();
        assertThat(api.actions()).contains("delete pods default/orphan Immediately")
                .anyMatch(a -> a.startsWith("patch pods default/orphan") && a.contains("\"phase\":\"Failed\"") && a.contains("DeletionByPodGC"));
    }

    @Test
    void aNodeMissingOnlyFromTheCacheKeepsItsPods() {
        pod("p", "lagging");
        ObjectNode lagging = Json.object();
        lagging.putObject("metadata").put("name", "lagging");
        api.seed(Kinds.NODES, lagging);

        controller.reconcile(PodGcController.PASS);
        clock.advance(Duration.ofSeconds(41));
        controller.reconcile(PodGcController.PASS);

        assertThat(api.find(Kinds.PODS, "default", "p")).isPresent();
    }

    private void pod(String name, String node) {
        ObjectNode p = Json.object();
        p.putObject("metadata").put("name", name).put("namespace", "default");
        p.putObject("spec").put("nodeName", node);
        p.putObject("status").put("phase", "Running");
        pods.put(api.seed(Kinds.PODS, p));
    }
}
