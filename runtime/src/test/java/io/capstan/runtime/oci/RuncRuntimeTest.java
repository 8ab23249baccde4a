package io.capstan.runtime.oci;

import io.capstan.runtime.ContainerSpec;
import io.capstan.runtime.ContainerState;
import io.capstan.runtime.ContainerStatus;
import io.capstan.runtime.ExecSession;
import io.capstan.runtime.ExecSpec;
import io.capstan.runtime.SandboxInfo;
import io.capstan.runtime.SandboxSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real containers under conmon and runc (needs root, runc, conmon and busybox-static). */
@EnabledIf("io.capstan.runtime.oci.RuncRuntimeTest#canRunContainers")
class RuncRuntimeTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    RuncOptions options;
    RuncRuntime runtime;
    Path rootfs;
    String unique;

    static boolean canRunContainers() {
        return RuncOptions.defaults(Path.of("/tmp")).runc() != null && RuncOptions.defaults(Path.of("/tmp")).conmon() != null
                && HostCheck.uid() == 0 && BusyboxRootfs.available();
    }

    @BeforeEach
    void setUp() throws IOException {
        unique = UUID.randomUUID().toString().substring(0, 8);
        options = RuncOptions.defaults(dir.resolve("state")).withCgroupRoot("capstan-test-" + unique);
        runtime = new RuncRuntime(options);
        rootfs = BusyboxRootfs.create(dir.resolve("rootfs"));
    }

    @AfterEach
    void tearDown() {
        RuncRuntime cleaner = new RuncRuntime(options);
        for (ContainerStatus container : cleaner.containers()) {
            cleaner.removeContainer(container.id());
        }
        for (SandboxInfo sandbox : cleaner.sandboxes()) {
            cleaner.removeSandbox(sandbox.id());
        }
        Cgroups.detect().remove("/" + options.cgroupRoot());
        new PinnedNamespaces(new StateDir(options.stateRoot()).namespaces()).unmountDirectory();
    }

    @Test
    void versionNamesRunc() {
        assertThat(runtime.unavailableReason()).isEmpty();
        assertThat(runtime.version()).matches("runc://1\\.\\d+\\.\\d+.*");
    }

    @Test
    void echoGoesToTheCriLogAndExitsZero() throws IOException {
        ContainerStatus status = runToEnd(sandbox("echo"), spec("echo", "echo", "hello"));

        assertThat(status.exitCode()).isZero();
        assertThat(status.reason()).isNull();
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
        assertThat(Files.readAllLines(status.logPath()))
                .singleElement().asString().matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+ stdout F hello");
    }

    @Test
    void exitCodeIsKept() {
        assertThat(runToEnd(sandbox("exit"), spec("exit", "sh", "-c", "exit 3")).exitCode()).isEqualTo(3);
    }

    @Test
    void stopEndsAContainerThatHandlesTermWithinTheGrace() {
        String id = start(sandbox("term"), spec("term", "sh", "-c", "trap 'exit 0' TERM; sleep 60 & wait"));
        awaitRunning(id);
        pauseForTrap(id);

        Instant before = Instant.now();
        runtime.stopContainer(id, Duration.ofSeconds(20));

        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(runtime.container(id).orElseThrow()).extracting(ContainerStatus::state, ContainerStatus::exitCode)
                .containsExactly(ContainerState.EXITED, 0);
    }

    @Test
    void stopKillsAContainerThatIgnoresTermAfterTheGrace() {
        String id = start(sandbox("ignore"), spec("ignore", "sh", "-c", "trap '' TERM; echo ready; sleep 60"));
        awaitLog("ignore", "ready");

        Instant before = Instant.now();
        runtime.stopContainer(id, Duration.ofSeconds(1));

        assertThat(Duration.between(before, Instant.now())).isBetween(Duration.ofMillis(900), Duration.ofSeconds(15));
        assertThat(runtime.container(id).orElseThrow()).extracting(ContainerStatus::state, ContainerStatus::exitCode)
                .containsExactly(ContainerState.EXITED, 137);
    }

    @Test
    void aMemoryHogOverItsLimitIsOomKilled() {
        ContainerSpec hog = withResources(spec("hog", "sh", "-c", "head -c 200m /dev/zero | tail"),
                new ContainerSpec.Resources(2, 0, 100_000, 20 * 1024 * 1024, 0));

        ContainerStatus status = runToEnd(sandbox("hog"), hog);

        assertThat(status.reason()).isEqualTo("OOMKilled");
        assertThat(status.exitCode()).isEqualTo(137);
    }

    @Test
    void envWorkingDirAndUserReachTheProcess() throws IOException {
        ContainerSpec base = spec("who", "sh", "-c", "echo $GREETING; pwd; id -u; id -g; id -G");
        ContainerSpec who = new ContainerSpec(base.name(), base.labels(), base.rootfs(), base.args(), List.of("GREETING=hi there"), "/tmp",
                new ContainerSpec.User(65534, -1, List.of(1234L)), List.of(), ContainerSpec.Security.DEFAULT, ContainerSpec.Resources.NONE,
                false, false, false, base.logPath());

        ContainerStatus status = runToEnd(sandbox("who"), who);

        assertThat(status.exitCode()).isZero();
        assertThat(logLines(status)).containsExactly("hi there", "/tmp", "65534", "65534", "65534 1234");
    }

    @Test
    void aReadOnlyRootfsRefusesWrites() throws IOException {
        ContainerSpec readOnly = withSecurity(spec("ro", "sh", "-c", "touch /marker"),
                new ContainerSpec.Security(false, true, true, List.of(), List.of()));

        ContainerStatus status = runToEnd(sandbox("ro"), readOnly);

        assertThat(status.exitCode()).isNotZero();
        assertThat(String.join("\n", logLines(status))).contains("Read-only file system");
        assertThat(rootfs.resolve("marker")).doesNotExist();
    }

    @Test
    void containersOfOneSandboxShareNetworkAndHostname() throws IOException {
        String sandbox = sandbox("web");
        start(sandbox, spec("server", "httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/www"));
        ContainerSpec client = spec("client", "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8080/index.html && break; sleep 0.2; done; hostname");

        ContainerStatus status = runToEnd(sandbox, client);

        assertThat(logLines(status)).containsExactly("served from the first container", "host-" + unique);
        assertThat(runtime.sandboxes()).extracting(SandboxInfo::id).containsExactly(sandbox);
        assertThat(runtime.sandboxes().getFirst().netns()).exists();
    }

    @Test
    void aHostNetworkSandboxUsesTheHostsNetworkAndName() throws IOException {
        String sandbox = "hostnet-" + unique;
        runtime.createSandbox(new SandboxSpec(sandbox, "ignored", Map.of(), null, true, true, false));

        ContainerStatus status = runToEnd(sandbox, spec("hostnet", "sh", "-c", "hostname; ls /sys/class/net"));

        assertThat(runtime.sandboxes().getFirst().netns()).isNull();
        List<String> hostInterfaces;
        try (var interfaces = Files.list(Path.of("/sys/class/net"))) {
            hostInterfaces = interfaces.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(logLines(status).getFirst()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        assertThat(logLines(status).subList(1, logLines(status).size())).containsExactlyElementsOf(hostInterfaces);
    }

    @Test
    void privilegedContainersGetEveryCapabilityAndTheHostsDevices() throws IOException {
        ContainerSpec privileged = withSecurity(spec("privileged", "sh", "-c", "grep CapEff /proc/self/status; ls /dev"),
                new ContainerSpec.Security(true, false, false, List.of(), List.of()));
        String hostBound = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("CapBnd:"))
                .findFirst().orElseThrow().split("\\s+")[1];

        ContainerStatus status = runToEnd(sandbox("privileged"), privileged);

        assertThat(logLines(status).getFirst()).isEqualTo("CapEff:\t" + hostBound);
        assertThat(logLines(status)).contains("kmsg");
        ContainerStatus plain = runToEnd(sandbox("plain"), spec("plain", "ls", "/dev"));
        assertThat(logLines(plain)).doesNotContain("kmsg");
    }

    @Test
    void limitsReachTheContainersCgroup() throws IOException {
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String read = v2
                ? "cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max /sys/fs/cgroup/pids.max"
                : "cat /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us"
                  + " /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes /sys/fs/cgroup/pids/pids.max";
        ContainerSpec limited = withResources(spec("limited", "sh", "-c", read), new ContainerSpec.Resources(256, 50_000, 100_000, 64L << 20, 20));

        ContainerStatus status = runToEnd(sandbox("limited"), limited);

        assertThat(logLines(status)).containsExactlyElementsOf(v2
                ? List.of("50000 100000", "67108864", "0", "20")
                : List.of("256", "50000", "100000", "67108864", "67108864", "20"));
    }

    @Test
    void execPassesStdinAndReturnsTheExitCode() throws Exception {
        String id = start(sandbox("exec"), spec("exec", "sleep", "60"));
        awaitRunning(id);

        try (ExecSession session = runtime.exec(id, new ExecSpec(List.of("sh", "-c", "read line; echo got $line; echo oops >&2; exit 7"), false, true))) {
            CompletableFuture<String> out = readAsync(session.stdout());
            CompletableFuture<String> err = readAsync(session.stderr());
            session.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
            session.stdin().close();

            assertThat(session.waitFor()).isEqualTo(7);
            assertThat(out.join()).isEqualTo("got hello\n");
            assertThat(err.join()).isEqualTo("oops\n");
        }
        assertThat(runtime.usage(id)).hasValueSatisfying(usage -> {
            assertThat(usage.cpuUsageNanos()).isPositive();
            assertThat(usage.memoryWorkingSetBytes()).isPositive();
        });
    }

    @Test
    void execWithATtyGetsATerminalThatFollowsResizes() throws Exception {
        String id = start(sandbox("tty"), spec("tty", "sleep", "60"));
        awaitRunning(id);

        try (ExecSession session = runtime.exec(id, new ExecSpec(List.of("sh", "-c", "tty; while read x; do stty size; done"), true, true))) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            Thread.startVirtualThread(() -> {
                try {
                    session.stdout().transferTo(seen);
                } catch (IOException e) {
                    // The session ended.
                }
            });
            session.resize(100, 30);
            await().atMost(WAIT).untilAsserted(() -> {
                session.stdin().write("\n".getBytes(StandardCharsets.UTF_8));
                session.stdin().flush();
                assertThat(seen.toString(StandardCharsets.UTF_8)).contains("/dev/pts/").contains("30 100");
            });
            session.stdin().write(new byte[] {4}); // ^D ends the loop
            session.stdin().flush();
            assertThat(session.waitFor()).isZero();
        }
    }

    @Test
    void aNewRuntimeOnTheSameRootAdoptsRunningContainersAndTheirExitCodes() throws Exception {
        String sandbox = sandbox("adopt");
        String id = start(sandbox, spec("adopt", "sh", "-c", "while [ ! -f /tmp/done ]; do sleep 0.1; done; exit 5"));
        awaitRunning(id);

        RuncRuntime restarted = new RuncRuntime(options);

        assertThat(restarted.sandboxes()).extracting(SandboxInfo::id).containsExactly(sandbox);
        assertThat(restarted.containers()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(c.labels()).containsEntry("test", unique);
        });
        try (ExecSession touch = restarted.exec(id, new ExecSpec(List.of("touch", "/tmp/done"), false, false))) {
            assertThat(touch.waitFor()).isZero();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(restarted.container(id).orElseThrow())
                .extracting(ContainerStatus::state, ContainerStatus::exitCode).containsExactly(ContainerState.EXITED, 5));
    }

    @Test
    void removeSandboxLeavesNoContainersMountsOrCgroups() throws IOException {
        String sandbox = sandbox("gone");
        String id = start(sandbox, spec("gone", "sleep", "60"));
        awaitRunning(id);
        SandboxInfo info = runtime.sandboxes().getFirst();
        Cgroups cgroups = Cgroups.detect();
        assertThat(cgroups.exists(info.cgroupParent())).isTrue();

        runtime.removeSandbox(sandbox);

        assertThat(runtime.containers()).isEmpty();
        assertThat(runtime.sandboxes()).isEmpty();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(sandbox + "-net", sandbox + "-ipc", sandbox + "-uts");
        assertThat(cgroups.exists(info.cgroupParent())).isFalse();
        assertThat(options.stateRoot().resolve("runc").resolve(id)).doesNotExist();
        assertThat(options.stateRoot().resolve("containers").resolve(id)).doesNotExist();
    }

    @Test
    void containersOfASandboxAreItsOwnAndARemovedOneIsGone() {
        String a = sandbox("a");
        String b = sandbox("b");
        String inA = runtime.createContainer(a, spec("one", "true")).id();
        String inB = runtime.createContainer(b, spec("two", "true")).id();

        assertThat(runtime.containers(a)).extracting(ContainerStatus::id).containsExactly(inA);
        assertThat(runtime.containers(b)).extracting(ContainerStatus::id).containsExactly(inB);

        runtime.removeContainer(inA);

        assertThat(runtime.containers(a)).isEmpty();
        assertThat(runtime.containers()).extracting(ContainerStatus::id).containsExactly(inB);
    }

    @Test
    void removeContainerKeepsTheLog() {
        ContainerStatus status = runToEnd(sandbox("keep"), spec("keep", "echo", "kept"));

        runtime.removeContainer(status.id());

        assertThat(runtime.container(status.id())).isEmpty();
        assertThat(status.logPath()).exists();
    }

    // --- helpers

    private String sandbox(String name) {
        String id = name + "-" + unique;
        runtime.createSandbox(new SandboxSpec(id, "host-" + unique, Map.of("pod", name), null, false, false, false));
        return id;
    }

    private ContainerSpec spec(String name, String... args) {
        return new ContainerSpec(name, Map.of("test", unique), rootfs, List.of(args), List.of(), null, ContainerSpec.User.ROOT, List.of(),
                ContainerSpec.Security.DEFAULT, ContainerSpec.Resources.NONE, false, false, false, dir.resolve("logs").resolve(name + ".log"));
    }

    private static ContainerSpec withResources(ContainerSpec s, ContainerSpec.Resources resources) {
        return new ContainerSpec(s.name(), s.labels(), s.rootfs(), s.args(), s.env(), s.workingDir(), s.user(), s.mounts(), s.security(),
                resources, s.tty(), s.stdin(), s.stdinOnce(), s.logPath());
    }

    private static ContainerSpec withSecurity(ContainerSpec s, ContainerSpec.Security security) {
        return new ContainerSpec(s.name(), s.labels(), s.rootfs(), s.args(), s.env(), s.workingDir(), s.user(), s.mounts(), security,
                s.resources(), s.tty(), s.stdin(), s.stdinOnce(), s.logPath());
    }

    private String start(String sandbox, ContainerSpec spec) {
        ContainerStatus created = runtime.createContainer(sandbox, spec);
        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        runtime.startContainer(created.id());
        return created.id();
    }

    private ContainerStatus runToEnd(String sandbox, ContainerSpec spec) {
        String id = start(sandbox, spec);
        await().atMost(WAIT).until(() -> runtime.container(id).orElseThrow().state() == ContainerState.EXITED);
        return runtime.container(id).orElseThrow();
    }

    private void awaitRunning(String id) {
        await().atMost(WAIT).until(() -> runtime.container(id).orElseThrow().state() == ContainerState.RUNNING);
    }

    private void awaitLog(String name, String text) {
        await().atMost(WAIT).until(() -> Files.exists(dir.resolve("logs").resolve(name + ".log"))
                && Files.readString(dir.resolve("logs").resolve(name + ".log")).contains(text));
    }

    /** The shell sets its trap before it forks sleep: once sleep runs, the trap is in place. */
    private void pauseForTrap(String id) {
        await().atMost(WAIT).until(() -> {
            try (ExecSession ps = runtime.exec(id, new ExecSpec(List.of("sh", "-c", "ps | grep -c '[s]leep 60'"), false, false))) {
                return ps.waitFor() == 0;
            }
        });
    }

    private static List<String> logLines(ContainerStatus status) throws IOException {
        // "<time> <stream> <F|P> <text>"
        return Files.readAllLines(status.logPath()).stream().map(line -> line.split(" ", 4)[3]).toList();
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }
}
