package io.capstan.apiserver.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class PodTargetTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void theOnlyContainerIsTheDefault() throws Exception {
        assertThat(PodTarget.container(json("{\"spec\":{\"containers\":[{\"name\":\"web\"}]}}"), "p", "")).isEqualTo("web");
    }

    @Test
    void withSeveralContainersOneMustBeNamedAndExist() throws Exception {
        JsonNode pod = json("{\"spec\":{\"initContainers\":[{\"name\":\"init\"}],\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}");
        assertThatThrownBy(() -> PodTarget.container(pod, "p", ""))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessage("a container name must be specified for pod p, choose one of: [init a b]");
        assertThatThrownBy(() -> PodTarget.container(pod, "p", "x")).hasMessage("container x is not valid for pod p");
        assertThat(PodTarget.container(pod, "p", "init")).isEqualTo("init");
    }

    @Test
    void theAgentIsAtTheFirstPreferredAddressAndTheKubeletPort() throws Exception {
        JsonNode node = json("""
                {"status":{"addresses":[{"type":"Hostname","address":"node-1"},{"type":"InternalIP","address":"10.0.0.5"}],
                 "daemonEndpoints":{"kubeletEndpoint":{"Port":12345}}}}""");
        assertThat(PodTarget.agent(node)).isEqualTo(URI.create("https://10.0.0.5:12345"));
        assertThat(PodTarget.agent(json("{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"fd00::1\"}]}}")))
                .isEqualTo(URI.create("https://[fd00::1]:10250"));
        assertThatThrownBy(() -> PodTarget.agent(json("{\"status\":{}}"))).hasMessageContaining("no preferred addresses found");
    }

    @Test
    void aPodWithoutANodeCannotBeStreamed() {
        assertThatThrownBy(() -> new PodTarget("default", "p", "c", null).requireAgent())
                .hasMessage("pod p does not have a host assigned");
    }
}
