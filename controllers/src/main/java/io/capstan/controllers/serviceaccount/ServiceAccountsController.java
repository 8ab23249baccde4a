package io.capstan.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.StatusException;
import io.capstan.client.Api;
import io.capstan.client.ObjectCache;
import io.capstan.client.Reconciler;
import io.capstan.client.Result;

/** As kube-controller-manager's serviceaccount-controller: every active namespace has a ServiceAccount named default. */
public final class ServiceAccountsController implements Reconciler {

    static final String DEFAULT = "default";

    private final Api api;
    private final ObjectCache namespaces;
    private final ObjectCache serviceAccounts;

    public ServiceAccountsController(Api api, ObjectCache namespaces, ObjectCache serviceAccounts) {
        this.api = api;
        this.namespaces = namespaces;
        this.serviceAccounts = serviceAccounts;
    }

    /** The key is a namespace's name. */
    @Override
    public Result reconcile(String namespace) {
        ObjectNode ns = namespaces.get("", namespace).orElse(null);
        if (ns == null || Json.at(ns, "metadata", "deletionTimestamp") != null
                || "Terminating".equals(Json.text(ns, "status", "phase"))) {
            return Result.done(); // a terminating namespace takes no new objects
        }
        if (serviceAccounts.get(namespace, DEFAULT).isPresent()) {
            return Result.done();
        }
        ObjectNode sa = Json.object();
        Json.with(sa, "metadata").put("name", DEFAULT);
        try {
            api.create(Kinds.SERVICE_ACCOUNTS, namespace, sa);
        } catch (StatusException e) {
            if (e.code() != 409) {
                throw e; // already there (the cache lagged) is success; anything else is retried
            }
        }
        return Result.done();
    }
}
