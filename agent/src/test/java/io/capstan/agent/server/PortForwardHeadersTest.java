package io.capstan.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortForwardHeadersTest {

    @Test
    void aStreamNeedsAPortAndAKnownType() {
        assertThat(PortForwardHeaders.check(Map.of("port", "8080", "streamtype", "data"))).isNull();
        assertThat(PortForwardHeaders.check(Map.of("streamtype", "data"))).isEqualTo("\"port\" header is required");
        assertThat(PortForwardHeaders.check(Map.of("port", "http", "streamtype", "data"))).isEqualTo("unable to parse \"http\" as a port");
        assertThat(PortForwardHeaders.check(Map.of("port", "0", "streamtype", "data"))).isEqualTo("port \"0\" must be > 0");
        assertThat(PortForwardHeaders.check(Map.of("port", "70000", "streamtype", "data"))).isEqualTo("unable to parse \"70000\" as a port");
        assertThat(PortForwardHeaders.check(Map.of("port", "80"))).isEqualTo("\"streamType\" header is required");
        assertThat(PortForwardHeaders.check(Map.of("port", "80", "streamtype", "stdin"))).isEqualTo("invalid stream type \"stdin\"");
    }

    @Test
    void streamsWithoutARequestIdArePairedByTheirIdsAsTheKubeletGuesses() {
        assertThat(PortForwardHeaders.requestId(Map.of("streamtype", "error", "requestid", "7"), 1)).isEqualTo("7");
        assertThat(PortForwardHeaders.requestId(Map.of("streamtype", "error"), 5)).isEqualTo("5");
        assertThat(PortForwardHeaders.requestId(Map.of("streamtype", "data"), 7)).isEqualTo("5");
    }
}
