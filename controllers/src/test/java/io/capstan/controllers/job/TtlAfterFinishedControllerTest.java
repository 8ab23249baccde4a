package io.capstan.controllers.job;

import io.capstan.client.fake.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Result;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TtlAfterFinishedControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache jobs = new FakeCache();
    final TestClock clock = new TestClock("2026-11-25T08:00:10Z");
    final TtlAfterFinishedController controller = new TtlAfterFinishedController(api, jobs, clock);

    @Test
    void aFinishedJobIsDeletedInTheBackgroundOnceItsTtlHasPassed() {
        jobs.put(api.seed(Kinds.JOBS, finishedJob(30)));

        Result early = controller.reconcile("default/done");

        assertThat(early.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(api.actions()).isEmpty();

        clock.set("2026-11-25T08:00:30Z");
        controller.reconcile("default/done");

        assertThat(api.actions()).containsExactly("delete jobs default/done Background");
    }

    @Test
    void anUnfinishedJobOrOneWithoutTtlStays() {
        ObjectNode running = finishedJob(0);
        running.remove("status");
        jobs.put(api.seed(Kinds.JOBS, running));

        assertThat(controller.reconcile("default/done").requeueAfter()).isNull();
        assertThat(api.actions()).isEmpty();
    }

    private static ObjectNode finishedJob(int ttl) {
        ObjectNode job = Json.object();
        job.putObject("metadata").put("name", "done").put("namespace", "default");
        job.putObject("spec").put("ttlSecondsAfterFinished", ttl);
        ObjectNode status = job.putObject("status").put("completionTime", "2026-11-25T08:00:00Z");
        status.putArray("conditions").addObject().put("type", "Complete").put("status", "True");
        return job;
    }
}
