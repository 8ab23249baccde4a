package io.capstan.controllers.clusterroleaggregation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.AggregatedRules;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;

/** Any ClusterRole change may change what an aggregated role gathers: every aggregated role is looked at again. */
public final class ClusterRoleAggregationWiring {

    private ClusterRoleAggregationWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers) {
        Informer clusterRoles = informers.of(Kinds.CLUSTER_ROLES);
        ControllerLoop loop = new ControllerLoop("clusterrole-aggregation", new ClusterRoleAggregationController(api, clusterRoles), 1);
        Runnable enqueueAggregated = () -> {
            for (ObjectNode role : clusterRoles.list()) {
                if (AggregatedRules.isAggregated(role)) {
                    loop.queue().add(ObjectCache.key(role));
                }
            }
        };
        clusterRoles.addHandler(new Informer.Handler() {
            @Override
            public void added(ObjectNode role) {
                enqueueAggregated.run();
            }

            @Override
            public void updated(ObjectNode old, ObjectNode role) {
                enqueueAggregated.run();
            }

            @Override
            public void deleted(ObjectNode role) {
                enqueueAggregated.run();
            }
        });
        return loop;
    }
}
