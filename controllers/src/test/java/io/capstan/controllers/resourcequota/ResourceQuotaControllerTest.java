package io.capstan.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes());
    }

    private final FakeApi api = new FakeApi();
    private final FakeCache quotas = new FakeCache();
    private final FakeCache pods = new FakeCache();
    private final FakeCache services = new FakeCache();
    private final ResourceQuotaController controller = new ResourceQuotaController(api, quotas,
            Map.of(Kinds.PODS, pods, Kinds.SERVICES, services));

    @Test
    void statusShowsHardAndWhatTheNamespacesLiveObjectsUse() {
        ObjectNode quota = api.seed(Kinds.RESOURCE_QUOTAS, json("""
                {'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'3','requests.cpu':'2','services':'1'}}}"""));
        quotas.put(quota);
        pods.put(json("{'metadata':{'name':'a','namespace':'ns'},'spec':{'containers':[{'name':'c','resources':{'requests':{'cpu':'250m'}}}]}}"));
        pods.put(json("{'metadata':{'name':'b','namespace':'ns'},'spec':{'containers':[{'name':'c'}]},'status':{'phase':'Succeeded'}}"));
        pods.put(json("{'metadata':{'name':'x','namespace':'other'},'spec':{'containers':[{'name':'c'}]}}"));

        controller.reconcile("ns/q");

        assertThat(api.actions()).containsExactly("update resourcequotas/status ns/q");
        ObjectNode status = (ObjectNode) api.get(Kinds.RESOURCE_QUOTAS, "ns", "q").path("status");
        assertThat(status.path("hard")).isEqualTo(quota.path("spec").path("hard"));
        assertThat(status.path("used")).isEqualTo(json("{'pods':'1','requests.cpu':'250m','services':'0'}"));
    }

    @Test
    void anUnchangedStatusIsNotWrittenAgain() {
        ObjectNode quota = api.seed(Kinds.RESOURCE_QUOTAS, json("""
                {'metadata':{'name':'q','namespace':'ns'},'spec':{'hard':{'pods':'3'}},
                 'status':{'hard':{'pods':'3'},'used':{'pods':'0'}}}"""));
        quotas.put(quota);

        controller.reconcile("ns/q");

        assertThat(api.actions()).isEmpty();
    }
}
