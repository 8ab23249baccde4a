package io.capstan.network.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeNetfilterTest {

    @TempDir
    Path procSys;

    @Test
    void aSettingThatIsOffIsTurnedOn() throws Exception {
        Path setting = Files.createDirectories(procSys.resolve("net/bridge")).resolve("bridge-nf-call-iptables");
        Files.writeString(setting, "0\n");
        assertThat(BridgeNetfilter.ensure(procSys)).isTrue();
        assertThat(Files.readString(setting)).isEqualTo("1\n");
    }

    @Test
    void aSettingThatCannotBeFoundIsReportedAsNotOn() {
        // Under a directory that is not /proc/sys, loading the module cannot make the setting appear.
        assertThat(BridgeNetfilter.ensure(procSys)).isFalse();
    }
}
