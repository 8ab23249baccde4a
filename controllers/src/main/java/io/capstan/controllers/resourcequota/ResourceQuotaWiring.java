package io.capstan.controllers.resourcequota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Indexes;
import io.capstan.client.Informer;
import io.capstan.client.ObjectCache;
import io.capstan.client.SharedInformers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Connects the ResourceQuota controller to the informers: any change of a counted object recounts its namespace's quotas. */
public final class ResourceQuotaWiring {

    /** The kinds quotas count (object counts and compute); count/ of other kinds is enforced at admission only. */
    static final List<ResourceType> COUNTED = List.of(Kinds.PODS, Kinds.SERVICES, Kinds.CONFIG_MAPS, Kinds.SECRETS,
            Kinds.PERSISTENT_VOLUME_CLAIMS, Kinds.RESOURCE_QUOTAS, Kinds.DEPLOYMENTS, Kinds.REPLICA_SETS, Kinds.STATEFUL_SETS,
            Kinds.DAEMON_SETS, Kinds.JOBS, Kinds.CRON_JOBS);

    private ResourceQuotaWiring() {}

    public static ControllerLoop register(Api api, SharedInformers informers) {
        Informer quotas = informers.of(Kinds.RESOURCE_QUOTAS);
        Map<ResourceType, ObjectCache> caches = new LinkedHashMap<>();
        COUNTED.forEach(type -> caches.put(type, informers.of(type)));
        ControllerLoop loop = new ControllerLoop("resourcequota", new ResourceQuotaController(api, quotas, caches), 2);
        Informer.Handler recount = new Informer.Handler() {
            @Override
            public void added(ObjectNode obj) {
                enqueueNamespace(quotas, loop, obj);
            }

            @Override
            public void updated(ObjectNode old, ObjectNode obj) {
                enqueueNamespace(quotas, loop, obj);
            }

            @Override
            public void deleted(ObjectNode obj) {
                enqueueNamespace(quotas, loop, obj);
            }
        };
        COUNTED.forEach(type -> informers.of(type).addHandler(recount));
        return loop;
    }

    private static void enqueueNamespace(ObjectCache quotas, ControllerLoop loop, ObjectNode obj) {
        String ns = Json.text(obj, "metadata", "namespace");
        for (ObjectNode quota : quotas.byIndex(Indexes.NAMESPACE, ns == null ? "" : ns)) {
            loop.queue().add(ObjectCache.key(quota));
        }
    }
}
