package io.capstan.runtime.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OciSpecBuilderTest {

    static final OciSpecBuilder.Context CONTEXT = new OciSpecBuilder.Context("/state/ns/sb-net", "/state/ns/sb-ipc", "/state/ns/sb-uts",
            false, "/capstan/sb/c1", true, 4096, List.of(), List.of(new OciSpecBuilder.HostDevice("/dev/sda", "b", 8, 0, 0660, 0, 6)));

    @Test
    void processCarriesArgsEnvCwdAndUser() {
        ContainerSpec spec = spec().args(List.of("sh", "-c", "echo hi")).env(List.of("A=1")).workingDir("/work")
                .user(new ContainerSpec.User(1000, 2000, List.of(3000L, 4000L))).tty(true).build();

        JsonNode process = OciSpecBuilder.build(spec, CONTEXT).path("process");

        assertThat(texts(process.path("args"))).containsExactly("sh", "-c", "echo hi");
        assertThat(texts(process.path("env"))).containsExactly(OciSpecBuilder.DEFAULT_PATH, "A=1");
        assertThat(process.path("cwd").asText()).isEqualTo("/work");
        assertThat(process.path("terminal").asBoolean()).isTrue();
        assertThat(process.path("user").path("uid").asLong()).isEqualTo(1000);
        assertThat(process.path("user").path("gid").asLong()).isEqualTo(2000);
        assertThat(process.path("user").path("additionalGids").toString()).isEqualTo("[3000,4000]");
        assertThat(process.path("rlimits").toString()).isEqualTo("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":4096,\"soft\":4096}]");
    }

    @Test
    void anImagePathIsKeptAndTheWorkingDirDefaultsToRoot() {
        JsonNode process = OciSpecBuilder.build(spec().env(List.of("PATH=/opt/bin")).build(), CONTEXT).path("process");

        assertThat(texts(process.path("env"))).containsExactly("PATH=/opt/bin");
        assertThat(process.path("cwd").asText()).isEqualTo("/");
    }

    @Test
    void defaultCapabilitiesAreContainerdsFourteen() {
        JsonNode caps = OciSpecBuilder.build(spec().build(), CONTEXT).path("process").path("capabilities");

        assertThat(texts(caps.path("bounding"))).containsExactlyInAnyOrder("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
                "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
                "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
        assertThat(caps.path("effective")).isEqualTo(caps.path("bounding"));
        assertThat(caps.path("permitted")).isEqualTo(caps.path("bounding"));
        assertThat(caps.has("ambient")).isFalse();
    }

    @Test
    void capabilitiesAreAddedAndDropped() {
        assertThat(OciSpecBuilder.capabilities(security(List.of("NET_ADMIN", "CAP_SYS_TIME"), List.of("KILL", "net_raw")), OciSpecBuilder.ALL_CAPABILITIES))
                .contains("NET_ADMIN", "SYS_TIME", "CHOWN").doesNotContain("KILL", "NET_RAW").hasSize(14);
    }

    @Test
    void dropAllKeepsOnlyWhatIsAdded() {
        assertThat(OciSpecBuilder.capabilities(security(List.of("NET_BIND_SERVICE"), List.of("ALL")), OciSpecBuilder.ALL_CAPABILITIES)).containsExactly("NET_BIND_SERVICE");
    }

    @Test
    void addAllThenDropOneIsEverythingButThatOne() {
        List<String> caps = OciSpecBuilder.capabilities(security(List.of("ALL"), List.of("SYS_ADMIN")), OciSpecBuilder.ALL_CAPABILITIES);

        assertThat(caps).hasSize(OciSpecBuilder.ALL_CAPABILITIES.size() - 1).doesNotContain("SYS_ADMIN").contains("NET_ADMIN");
    }

    @Test
    void onlyWhatTheRuntimeHoldsCanBeGiven() {
        List<String> held = List.of("CHOWN", "KILL", "NET_ADMIN");

        assertThat(OciSpecBuilder.capabilities(security(List.of("NET_ADMIN", "SYS_ADMIN"), List.of()), held)).containsExactly("CHOWN", "KILL", "NET_ADMIN");
        assertThat(OciSpecBuilder.capabilities(new ContainerSpec.Security(true, false, false, List.of(), List.of()), held)).isEqualTo(held);
    }

    @Test
    void unprivilegedContainersGetMaskedAndReadOnlyPathsAndNoDevices() {
        JsonNode linux = OciSpecBuilder.build(spec().build(), CONTEXT).path("linux");

        assertThat(texts(linux.path("maskedPaths"))).contains("/proc/kcore", "/proc/keys", "/sys/firmware", "/proc/scsi");
        assertThat(texts(linux.path("readonlyPaths"))).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        assertThat(linux.path("resources").path("devices").toString()).isEqualTo("[{\"allow\":false,\"access\":\"rwm\"}]");
        assertThat(linux.has("devices")).isFalse();
    }

    @Test
    void privilegedContainersGetEveryCapabilityTheHostDevicesAndWritableSys() {
        ObjectNode config = OciSpecBuilder.build(spec().security(new ContainerSpec.Security(true, false, true, List.of(), List.of("ALL"))).build(), CONTEXT);

        assertThat(config.path("process").path("capabilities").path("bounding")).hasSize(OciSpecBuilder.ALL_CAPABILITIES.size());
        assertThat(config.path("process").path("noNewPrivileges").asBoolean()).isFalse();
        assertThat(config.path("linux").has("maskedPaths")).isFalse();
        assertThat(config.path("linux").has("readonlyPaths")).isFalse();
        assertThat(config.path("linux").path("devices").toString())
                .isEqualTo("[{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0,\"fileMode\":432,\"uid\":0,\"gid\":6}]");
        assertThat(config.path("linux").path("resources").path("devices").toString()).isEqualTo("[{\"allow\":true,\"access\":\"rwm\"}]");
        assertThat(mount(config, "/sys").path("options").toString()).contains("\"rw\"");
    }

    @Test
    void withTheHostsNetworkSysIsBoundNotMounted() {
        OciSpecBuilder.Context hostNetwork = new OciSpecBuilder.Context(null, "/ns/ipc", null, false, "/c", true, 0, List.of(), List.of());

        assertThat(mount(OciSpecBuilder.build(spec().build(), hostNetwork), "/sys").toString())
                .isEqualTo("{\"destination\":\"/sys\",\"type\":\"bind\",\"source\":\"/sys\",\"options\":[\"rbind\",\"nosuid\",\"noexec\",\"nodev\",\"ro\"]}");
    }

    @Test
    void rootAndNoNewPrivilegesFollowTheSecuritySettings() {
        ObjectNode config = OciSpecBuilder.build(spec().security(new ContainerSpec.Security(false, true, true, List.of(), List.of())).build(), CONTEXT);

        assertThat(config.path("root").toString()).isEqualTo("{\"path\":\"/rootfs\",\"readonly\":true}");
        assertThat(config.path("process").path("noNewPrivileges").asBoolean()).isTrue();
    }

    @Test
    void defaultMountsComeFirstAndTheSpecsReplaceThoseAtTheSameDestination() {
        ContainerSpec spec = spec().mounts(List.of(ContainerSpec.Mount.bind(Path.of("/var/data"), "/data", true),
                new ContainerSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("size=1g")))).build();

        ObjectNode config = OciSpecBuilder.build(spec, CONTEXT);

        List<String> destinations = texts(config.path("mounts").findValues("destination"));
        assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/data", "/dev/shm");
        assertThat(mount(config, "/data").toString())
                .isEqualTo("{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"/var/data\",\"options\":[\"rbind\",\"ro\"]}");
        assertThat(mount(config, "/dev/shm").path("options").toString()).isEqualTo("[\"size=1g\"]");
        assertThat(mount(config, "/sys").path("options").toString()).contains("\"ro\"");
        assertThat(mount(config, "/sys/fs/cgroup").path("type").asText()).isEqualTo("cgroup");
    }

    @Test
    void namespacesJoinTheSandboxAndOwnMountAndPid() {
        JsonNode linux = OciSpecBuilder.build(spec().build(), CONTEXT).path("linux");

        assertThat(linux.path("namespaces").toString()).isEqualTo("[{\"type\":\"pid\"},{\"type\":\"mount\"},"
                + "{\"type\":\"network\",\"path\":\"/state/ns/sb-net\"},{\"type\":\"ipc\",\"path\":\"/state/ns/sb-ipc\"},"
                + "{\"type\":\"uts\",\"path\":\"/state/ns/sb-uts\"}]");
        assertThat(linux.path("cgroupsPath").asText()).isEqualTo("/capstan/sb/c1");
    }

    @Test
    void hostNamespacesAreSimplyNotListed() {
        OciSpecBuilder.Context host = new OciSpecBuilder.Context(null, null, null, true, "/capstan/sb/c1", true, 0, List.of(), List.of());

        ObjectNode config = OciSpecBuilder.build(spec().build(), host);

        assertThat(config.path("linux").path("namespaces").toString()).isEqualTo("[{\"type\":\"mount\"}]");
        assertThat(config.path("process").has("rlimits")).isFalse();
    }

    @Test
    void resourcesBecomeCgroupLimitsWithSwapEqualToMemory() {
        ContainerSpec spec = spec().resources(new ContainerSpec.Resources(512, 50_000, 100_000, 64L << 20, 100)).build();

        JsonNode resources = OciSpecBuilder.build(spec, CONTEXT).path("linux").path("resources");

        assertThat(resources.path("cpu").toString()).isEqualTo("{\"shares\":512,\"quota\":50000,\"period\":100000}");
        assertThat(resources.path("memory").toString()).isEqualTo("{\"limit\":67108864,\"swap\":67108864}");
        assertThat(resources.path("pids").toString()).isEqualTo("{\"limit\":100}");
    }

    @Test
    void noLimitsMeansMinimalSharesAndNoMemoryOrPidsSection() {
        JsonNode resources = OciSpecBuilder.build(spec().resources(ContainerSpec.Resources.NONE).build(), CONTEXT).path("linux").path("resources");

        assertThat(resources.path("cpu").toString()).isEqualTo("{\"shares\":2,\"period\":100000}");
        assertThat(resources.has("memory")).isFalse();
        assertThat(resources.has("pids")).isFalse();
    }

    @Test
    void swapIsLeftOutWhereTheHostCannotLimitIt() {
        OciSpecBuilder.Context noSwap = new OciSpecBuilder.Context(null, null, null, false, "/c", false, 0, List.of(), List.of());
        ContainerSpec spec = spec().resources(new ContainerSpec.Resources(2, 0, 100_000, 1 << 20, 0)).build();

        assertThat(OciSpecBuilder.build(spec, noSwap).path("linux").path("resources").path("memory").toString()).isEqualTo("{\"limit\":1048576}");
    }

    // --- helpers

    private static ContainerSpec.Security security(List<String> add, List<String> drop) {
        return new ContainerSpec.Security(false, false, false, add, drop);
    }

    private static JsonNode mount(JsonNode config, String destination) {
        for (JsonNode mount : config.path("mounts")) {
            if (mount.path("destination").asText().equals(destination)) {
                return mount;
            }
        }
        throw new AssertionError("no mount at " + destination);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    private static SpecBuilder spec() {
        return new SpecBuilder();
    }

    /** Test-only shorthand for a ContainerSpec with a few fields set. */
    private static final class SpecBuilder {
        private List<String> args = List.of("true");
        private List<String> env = List.of();
        private String workingDir;
        private ContainerSpec.User user = ContainerSpec.User.ROOT;
        private List<ContainerSpec.Mount> mounts = List.of();
        private ContainerSpec.Security security = ContainerSpec.Security.DEFAULT;
        private ContainerSpec.Resources resources = ContainerSpec.Resources.NONE;
        private boolean tty;

        SpecBuilder args(List<String> value) { args = value; return this; }
        SpecBuilder env(List<String> value) { env = value; return this; }
        SpecBuilder workingDir(String value) { workingDir = value; return this; }
        SpecBuilder user(ContainerSpec.User value) { user = value; return this; }
        SpecBuilder mounts(List<ContainerSpec.Mount> value) { mounts = value; return this; }
        SpecBuilder security(ContainerSpec.Security value) { security = value; return this; }
        SpecBuilder resources(ContainerSpec.Resources value) { resources = value; return this; }
        SpecBuilder tty(boolean value) { tty = value; return this; }

        ContainerSpec build() {
            return new ContainerSpec("c1", Map.of(), Path.of("/rootfs"), args, env, workingDir, user, mounts, security, resources, tty, false,
                    false, Path.of("/logs/c1.log"));
        }
    }
}
