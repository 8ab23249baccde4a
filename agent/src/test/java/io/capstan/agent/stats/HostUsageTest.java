package io.capstan.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.agent.ManualClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostUsageTest {

    @TempDir
    Path proc;

    @Test
    void cpuTimeCountsEveryTickButIdleAndIowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(HostUsage.cpuNanos(List.of("cpu  100 2 30 9999 888 4 5 6 70 80"))).isEqualTo((100 + 2 + 30 + 4 + 5 + 6) * 10_000_000L);
    }

    @Test
    void theWorkingSetIsUsedMemoryLessInactiveFilePages() throws Exception {
        FakeHost.write(proc, 250);
        ManualClock clock = new ManualClock();
        HostUsage.Reading reading = new HostUsage(proc, clock).read();
        assertThat(reading.usage().at()).isEqualTo(clock.instant());
        assertThat(reading.usage().cpuUsageNanos()).isEqualTo(2_500_000_000L);
        assertThat(reading.usageBytes()).isEqualTo(5_000_000L * 1024);
        assertThat(reading.usage().memoryWorkingSetBytes()).isEqualTo(4_000_000L * 1024);
        assertThat(reading.availableBytes()).isEqualTo(6_000_000L * 1024);
    }
}
