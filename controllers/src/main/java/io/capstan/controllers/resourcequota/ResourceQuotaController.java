package io.capstan.controllers.resourcequota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.api.quota.QuantityText;
import io.capstan.api.quota.QuotaUsage;
import io.capstan.api.quota.Quotas;
import io.capstan.client.Api;
import io.capstan.client.Indexes;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;
import io.capstan.controllers.StatusUpdates;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps each ResourceQuota's status.hard (its spec.hard) and status.used (what the namespace's objects use of each
 * hard name) current, as Kubernetes' resourcequota controller does; resyncs every 5 minutes like it.
 */
public final class ResourceQuotaController implements Reconciler {

    static final Duration RESYNC = Duration.ofMinutes(5);

    private final Api api;
    private final ObjectCache quotas;
    private final Map<ResourceType, ObjectCache> counted;

    /** @param counted the kinds whose objects quotas can count, each with its cache */
    public ResourceQuotaController(Api api, ObjectCache quotas, Map<ResourceType, ObjectCache> counted) {
        this.api = api;
        this.quotas = quotas;
        this.counted = Map.copyOf(counted);
    }

    @Override
    public Result reconcile(String key) {
        int slash = key.indexOf('/');
        String ns = key.substring(0, slash);
        ObjectNode quota = quotas.get(ns, key.substring(slash + 1)).orElse(null);
        if (quota == null || Json.at(quota, "metadata", "deletionTimestamp") != null) {
            return Result.done();
        }
        Map<String, Long> hard = Quotas.hard(quota);
        Map<String, Long> used = new HashMap<>();
        counted.forEach((type, cache) -> {
            if (QuotaUsage.covers(type, hard.keySet())) {
                QuotaUsage.add(used, Quotas.used(quota, type, cache.byIndex(Indexes.NAMESPACE, ns)));
            }
        });
        ObjectNode status = Json.object();
        status.set("hard", quota.path("spec").path("hard").deepCopy());
        ObjectNode usedNode = status.putObject("used");
        new TreeMap<>(hard).keySet().forEach(name -> usedNode.put(name, QuantityText.of(used.getOrDefault(name, 0L))));
        if (!StatusUpdates.write(api, Kinds.RESOURCE_QUOTAS, quota, status)) {
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        return Result.requeueAfter(RESYNC);
    }
}
