package io.capstan.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotasTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes());
    }

    private static ObjectNode pod(String cpuRequest, String cpuLimit, String phase) {
        ObjectNode resources = Json.object();
        if (cpuRequest != null) {
            resources.putObject("requests").put("cpu", cpuRequest);
        }
        if (cpuLimit != null) {
            resources.putObject("limits").put("cpu", cpuLimit);
        }
        ObjectNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}");
        ((ObjectNode) pod.path("spec").path("containers").get(0)).set("resources", resources);
        if (phase != null) {
            pod.putObject("status").put("phase", phase);
        }
        return pod;
    }

    @Test
    void exceededQuotaIsWordedAsKubernetesWordsIt() {
        ObjectNode quota = json("{'metadata':{'name':'compute'},'spec':{'hard':{'cpu':'1','pods':'10'}}}");
        Map<String, Long> used = Quotas.used(quota, Kinds.PODS, List.of(pod("600m", null, null), pod("400m", null, null)));

        assertThat(used).containsEntry("cpu", 1000L).containsEntry("pods", 2000L);
        assertThat(Quotas.exceeded("compute", Quotas.hard(quota), used, QuotaUsage.of(Kinds.PODS, pod("500m", null, null))))
                .contains("exceeded quota: compute, requested: cpu=500m, used: cpu=1, limited: cpu=1");
    }

    @Test
    void finishedPodsDoNotCount() {
        ObjectNode quota = json("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'2'}}}");
        Map<String, Long> used = Quotas.used(quota, Kinds.PODS, List.of(pod(null, null, "Succeeded"), pod(null, null, "Failed"),
                pod(null, null, "Running")));

        assertThat(used).containsExactlyEntriesOf(Map.of("pods", 1000L));
        assertThat(Quotas.exceeded("q", Quotas.hard(quota), used, QuotaUsage.of(Kinds.PODS, pod(null, null, null)))).isEmpty();
        used.put("pods", 2000L);
        assertThat(Quotas.exceeded("q", Quotas.hard(quota), used, QuotaUsage.of(Kinds.PODS, pod(null, null, null))))
                .contains("exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    }

    @Test
    void aQuotaOnLimitsWantsEveryContainerToStateThem() {
        assertThat(QuotaUsage.missing(pod("100m", null, null), Set.of("limits.cpu", "pods"))).isEqualTo("must specify limits.cpu for: c");
        assertThat(QuotaUsage.missing(pod("100m", "200m", null), Set.of("limits.cpu", "requests.cpu"))).isEmpty();
        assertThat(QuotaUsage.missing(pod(null, null, null), Set.of("pods"))).isEmpty();
    }

    @Test
    void objectCountsUseBothLegacyAndCountNames() {
        ObjectNode service = json("{'spec':{'type':'NodePort','ports':[{'port':80},{'port':81}]}}");

        assertThat(QuotaUsage.of(Kinds.SERVICES, service)).containsEntry("services", 1000L).containsEntry("count/services", 1000L)
                .containsEntry("services.nodeports", 2000L).doesNotContainKey("services.loadbalancers");
        assertThat(QuotaUsage.of(Kinds.DEPLOYMENTS, Json.object())).containsExactlyEntriesOf(Map.of("count/deployments.apps", 1000L));
        assertThat(QuotaUsage.covers(Kinds.DEPLOYMENTS, Set.of("pods"))).isFalse();
        assertThat(QuotaUsage.covers(Kinds.PODS, Set.of("limits.memory"))).isTrue();
    }

    @Test
    void scopesSelectPodsByDeadlineAndQualityOfService() {
        ObjectNode bestEffort = json("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'5'},'scopes':['BestEffort']}}");
        ObjectNode terminating = json("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'5'},'scopes':['Terminating']}}");
        ObjectNode deadline = pod(null, null, null);
        ((ObjectNode) deadline.path("spec")).put("activeDeadlineSeconds", 30);

        assertThat(Quotas.counts(bestEffort, Kinds.PODS, pod(null, null, null))).isTrue();
        assertThat(Quotas.counts(bestEffort, Kinds.PODS, pod("1", null, null))).isFalse();
        assertThat(Quotas.counts(terminating, Kinds.PODS, deadline)).isTrue();
        assertThat(Quotas.counts(terminating, Kinds.PODS, pod(null, null, null))).isFalse();
    }

    @Test
    void quantitiesReadBackInTheirShortestForm() {
        assertThat(QuantityText.of(500)).isEqualTo("500m");
        assertThat(QuantityText.of(1000)).isEqualTo("1");
        assertThat(QuantityText.of(128L * 1024 * 1024 * 1000)).isEqualTo("128Mi");
        assertThat(QuantityText.of(0)).isEqualTo("0");
    }
}
