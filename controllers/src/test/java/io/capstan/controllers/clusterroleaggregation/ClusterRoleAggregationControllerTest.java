package io.capstan.controllers.clusterroleaggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.fake.FakeApi;
import io.capstan.client.fake.FakeCache;
import org.junit.jupiter.api.Test;

class ClusterRoleAggregationControllerTest {

    final FakeApi api = new FakeApi();
    final FakeCache clusterRoles = new FakeCache();
    final ClusterRoleAggregationController controller = new ClusterRoleAggregationController(api, clusterRoles);

    ObjectNode role(String name, String label, String... resources) {
        ObjectNode r = Json.object();
        ObjectNode meta = r.putObject("metadata").put("name", name);
        if (label != null) {
            meta.putObject("labels").put(label, "true");
        }
        var rules = r.putArray("rules");
        for (String resource : resources) {
            var rule = rules.addObject();
            rule.putArray("verbs").add("get");
            rule.putArray("apiGroups").add("");
            rule.putArray("resources").add(resource);
        }
        return r;
    }

    ObjectNode aggregated(String name, String selects) {
        ObjectNode r = Json.object();
        r.putObject("metadata").put("name", name);
        r.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels").put(selects, "true");
        return r;
    }

    void seed(ObjectNode... roles) {
        for (ObjectNode r : roles) {
            clusterRoles.put(api.seed(Kinds.CLUSTER_ROLES, r));
        }
    }

    @Test
    void gathersTheRulesOfMatchingRolesByNameEachOnce() {
        seed(aggregated("view", "agg-view"), role("b-extra", "agg-view", "pods", "services"), role("a-base", "agg-view", "pods"),
                role("other", null, "secrets"));

        controller.reconcile("view");

        var rules = api.get(Kinds.CLUSTER_ROLES, "", "view").path("rules");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).path("resources").get(0).asText()).isEqualTo("pods");
        assertThat(rules.get(1).path("resources").get(0).asText()).isEqualTo("services");
    }

    @Test
    void writesNothingWhenTheRulesAreAlreadyThere() {
        seed(aggregated("view", "agg-view"), role("a", "agg-view", "pods"));
        controller.reconcile("view");
        clusterRoles.put(api.get(Kinds.CLUSTER_ROLES, "", "view"));
        api.actions().clear();

        controller.reconcile("view");

        assertThat(api.actions()).isEmpty();
    }

    @Test
    void aRoleWithoutAggregationRuleIsLeftAlone() {
        seed(role("plain", "agg-view", "pods"));

        controller.reconcile("plain");
        controller.reconcile("gone");

        assertThat(api.actions()).isEmpty();
    }
}
