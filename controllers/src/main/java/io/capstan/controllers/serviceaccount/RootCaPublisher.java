package io.capstan.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;

/** As kube-controller-manager's root-ca-cert-publisher: ConfigMap kube-root-ca.crt with the cluster CA in every active namespace. */
public final class RootCaPublisher implements Reconciler {

    public static final String NAME = "kube-root-ca.crt";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
            + "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
            + "Kubernetes clusters.";

    private final Api api;
    private final ObjectCache namespaces;
    private final ObjectCache configMaps;
    private final String caPem;

    public RootCaPublisher(Api api, ObjectCache namespaces, ObjectCache configMaps, String caPem) {
        this.api = api;
        this.namespaces = namespaces;
        this.configMaps = configMaps;
        this.caPem = caPem;
    }

    /** The key is a namespace's name. */
    @Override
    public Result reconcile(String namespace) {
        ObjectNode ns = namespaces.get("", namespace).orElse(null);
        if (ns == null || Json.at(ns, "metadata", "deletionTimestamp") != null
                || "Terminating".equals(Json.text(ns, "status", "phase"))) {
            return Result.done();
        }
        ObjectNode existing = configMaps.get(namespace, NAME).orElse(null);
        if (existing == null) {
            ObjectNode cm = Json.object();
            Json.with(Json.with(cm, "metadata").put("name", NAME), "annotations").put("kubernetes.io/description", DESCRIPTION);
            Json.with(cm, "data").put("ca.crt", caPem);
            try {
                api.create(Kinds.CONFIG_MAPS, namespace, cm);
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
            return Result.done();
        }
        if (caPem.equals(Json.text(existing, "data", "ca.crt")) && existing.path("data").size() == 1
                && DESCRIPTION.equals(Json.text(existing, "metadata", "annotations", "kubernetes.io/description"))) {
            return Result.done();
        }
        // Someone changed it: put the CA (and only it) back, as the publisher does.
        ObjectNode cm = existing.deepCopy();
        cm.putObject("data").put("ca.crt", caPem);
        Json.with(Json.with(cm, "metadata"), "annotations").put("kubernetes.io/description", DESCRIPTION);
        api.update(Kinds.CONFIG_MAPS, namespace, NAME, "", cm);
        return Result.done();
    }
}
