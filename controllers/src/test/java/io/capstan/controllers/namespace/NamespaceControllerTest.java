package io.capstan.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceType;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.Result;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {

    static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", "namespace", false,
            List.of("ns"), List.of(), Set.of("status", "finalize"), null);
    static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap", true,
            List.of("cm"), List.of(), Set.of(), null);
    static final ResourceType WIDGETS = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
            List.of(), List.of(), Set.of(), null);

    final FakeApi api = new FakeApi();
    final NamespaceController controller = new NamespaceController(api, NAMESPACES,
            () -> List.of(NAMESPACES, CONFIGMAPS, WIDGETS));

    @Test
    void aTerminatingNamespaceIsEmptiedOfEveryKindThenFinalized() {
        api.seed(NAMESPACES, namespace("t", true));
        api.seed(CONFIGMAPS, object("t", "cm1"));
        api.seed(WIDGETS, object("t", "w1"));
        api.seed(CONFIGMAPS, object("other", "keep"));

        Result first = controller.reconcile("t");

        assertThat(api.actions()).contains("delete configmaps t/cm1 Background", "delete widgets t/w1 Background")
                .noneMatch(a -> a.contains("other/keep"));
        assertThat(first.requeueAfter()).isNotNull();
        assertThat(api.get(NAMESPACES, "", "t").path("status").path("conditions").toString())
                .contains("Some resources are remaining: configmaps has 1 resource instances, widgets.example.com has 1 resource instances");

        Result second = controller.reconcile("t");

        assertThat(second.requeueAfter()).isNull();
        assertThat(api.actions()).last().isEqualTo("update namespaces/finalize t");
        assertThat(api.get(NAMESPACES, "", "t").path("spec").path("finalizers")).isEmpty();
    }

    @Test
    void contentHeldByAFinalizerKeepsTheNamespaceTerminating() {
        api.seed(NAMESPACES, namespace("t", true));
        ObjectNode held = object("t", "held");
        Json.with(held, "metadata").put("deletionTimestamp", "2026-11-25T00:00:00Z").putArray("finalizers").add("example.com/hold");
        api.seed(CONFIGMAPS, held);

        Result result = controller.reconcile("t");

        assertThat(result.requeueAfter()).isNotNull();
        assertThat(api.actions()).noneMatch(a -> a.startsWith("delete") || a.contains("finalize"));
        assertThat(api.get(NAMESPACES, "", "t").path("status").path("conditions").toString())
                .contains("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
    }

    @Test
    void anActiveNamespaceIsLeftAlone() {
        api.seed(NAMESPACES, namespace("t", false));
        api.seed(CONFIGMAPS, object("t", "cm1"));

        controller.reconcile("t");

        assertThat(api.actions()).isEmpty();
    }

    static ObjectNode namespace(String name, boolean terminating) {
        ObjectNode ns = Json.object();
        ObjectNode meta = ns.putObject("metadata").put("name", name);
        if (terminating) {
            meta.put("deletionTimestamp", "2026-11-25T00:00:00Z");
        }
        ns.putObject("spec").putArray("finalizers").add("kubernetes");
        ns.putObject("status").put("phase", terminating ? "Terminating" : "Active");
        return ns;
    }

    static ObjectNode object(String namespace, String name) {
        ObjectNode o = Json.object();
        o.putObject("metadata").put("name", name).put("namespace", namespace);
        return o;
    }
}
