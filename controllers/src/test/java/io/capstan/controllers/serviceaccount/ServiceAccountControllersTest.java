package io.capstan.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import org.junit.jupiter.api.Test;

class ServiceAccountControllersTest {

    private final FakeApi api = new FakeApi();
    private final FakeCache namespaces = new FakeCache();
    private final FakeCache serviceAccounts = new FakeCache();
    private final FakeCache configMaps = new FakeCache();

    private static ObjectNode namespace(String name) {
        ObjectNode ns = Json.object();
        Json.with(ns, "metadata").put("name", name);
        return ns;
    }

    @Test
    void createsTheDefaultServiceAccountInANewNamespace() {
        namespaces.put(namespace("team"));
        new ServiceAccountsController(api, namespaces, serviceAccounts).reconcile("team");
        assertThat(api.actions()).containsExactly("create serviceaccounts team/default");
    }

    @Test
    void leavesAnExistingDefaultServiceAccountAndTerminatingNamespacesAlone() {
        namespaces.put(namespace("team"));
        ObjectNode sa = Json.object();
        Json.with(sa, "metadata").put("name", "default").put("namespace", "team");
        serviceAccounts.put(sa);
        ObjectNode gone = namespace("gone");
        Json.with(gone, "metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
        namespaces.put(gone);
        var controller = new ServiceAccountsController(api, namespaces, serviceAccounts);
        controller.reconcile("team");
        controller.reconcile("gone");
        assertThat(api.actions()).isEmpty();
    }

    @Test
    void publishesTheRootCaAndPutsItBackWhenChanged() {
        namespaces.put(namespace("team"));
        RootCaPublisher publisher = new RootCaPublisher(api, namespaces, configMaps, "PEM");
        publisher.reconcile("team");
        ObjectNode cm = api.get(Kinds.CONFIG_MAPS, "team", "kube-root-ca.crt");
        assertThat(Json.text(cm, "data", "ca.crt")).isEqualTo("PEM");

        cm.putObject("data").put("ca.crt", "tampered");
        api.update(Kinds.CONFIG_MAPS, "team", "kube-root-ca.crt", "", cm);
        configMaps.put(api.get(Kinds.CONFIG_MAPS, "team", "kube-root-ca.crt"));
        publisher.reconcile("team");
        assertThat(Json.text(api.get(Kinds.CONFIG_MAPS, "team", "kube-root-ca.crt"), "data", "ca.crt")).isEqualTo("PEM");
    }
}
