package io.capstan.runtime.process;

import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import io.capstan.runtime.oci.Binaries;
import io.capstan.runtime.oci.RuncOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Commands run on the host under conmon and runc (needs root, runc and conmon). */
@EnabledIf("io.capstan.runtime.process.ProcessRuntimeTest#canRunContainers")
class ProcessRuntimeTest {

    @TempDir
    Path dir;

    RuncOptions options;
    ProcessRuntime runtime;
    String sandbox;

    static boolean canRunContainers() throws IOException {
        return Binaries.find("runc").isPresent() && Binaries.find("conmon").isPresent()
                && Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
    }

    @BeforeEach
    void setUp() {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        options = RuncOptions.defaults(dir.resolve("state")).withCgroupRoot("capstan-test-" + unique);
        runtime = new ProcessRuntime(options);
        sandbox = "proc-" + unique;
        runtime.createSandbox(new SandboxSpec(sandbox, "ignored", Map.of(), null, false, false, false));
    }

    @AfterEach
    void tearDown() throws IOException {
        for (ContainerStatus container : runtime.containers()) {
            runtime.removeContainer(container.id());
        }
        for (SandboxInfo info : runtime.sandboxes()) {
            runtime.removeSandbox(info.id());
        }
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                Files.deleteIfExists(hierarchy.resolve(options.cgroupRoot()));
            }
        }
    }

    @Test
    void aCommandSeesTheHostsFilesAndNetworkAndLogsToTheCriLog() throws IOException {
        Path file = Files.writeString(dir.resolve("on-the-host.txt"), "from the host\n");
        ContainerStatus status = runToEnd(spec("host-files", List.of("sh", "-c", "cat " + file + "; hostname; exit 4"), ContainerSpec.Resources.NONE));

        assertThat(status.exitCode()).isEqualTo(4);
        assertThat(Files.readAllLines(status.logPath()).stream().map(l -> l.split(" ", 4)[3]))
                .containsExactly("from the host", Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(runtime.sandboxes().getFirst().netns()).isNull();
    }

    @Test
    void theCommandRunsUnderItsCgroupLimits() throws IOException {
        ContainerSpec.Resources limits = new ContainerSpec.Resources(2, 0, 100_000, 32L << 20, 50);
        // runc binds the container's own cgroup at the hierarchy's place.
        String read = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max"
                : "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max";

        ContainerStatus status = runToEnd(spec("limits", List.of("sh", "-c", read), limits));

        assertThat(Files.readAllLines(status.logPath()).stream().map(l -> l.split(" ", 4)[3])).containsExactly("33554432", "50");
        assertThat(status.exitCode()).isZero();
    }

    @Test
    void stopKillsWhatTheCommandForked() {
        ContainerStatus created = runtime.createContainer(sandbox, spec("tree", List.of("sh", "-c", "sleep 60 & sleep 60"), ContainerSpec.Resources.NONE));
        runtime.startContainer(created.id());

        runtime.stopContainer(created.id(), Duration.ofMillis(200));

        assertThat(runtime.container(created.id()).orElseThrow().state()).isEqualTo(ContainerState.EXITED);
        assertThat(runtime.container(created.id()).orElseThrow().exitCode()).isEqualTo(137);
    }

    private ContainerSpec spec(String name, List<String> args, ContainerSpec.Resources resources) {
        return new ContainerSpec(name, Map.of(), null, args, List.of(), null, ContainerSpec.User.ROOT, List.of(), ContainerSpec.Security.DEFAULT,
                resources, false, false, false, dir.resolve("logs").resolve(name + ".log"));
    }

    private ContainerStatus runToEnd(ContainerSpec spec) {
        ContainerStatus created = runtime.createContainer(sandbox, spec);
        runtime.startContainer(created.id());
        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.container(created.id()).orElseThrow().state() == ContainerState.EXITED);
        return runtime.container(created.id()).orElseThrow();
    }
}
