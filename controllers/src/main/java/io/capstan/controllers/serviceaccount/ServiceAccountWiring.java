package io.capstan.controllers.serviceaccount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import io.capstan.client.ControllerLoop;
import io.capstan.client.Informer;
import io.capstan.client.SharedInformers;
import java.util.ArrayList;
import java.util.List;

/** Keys both namespace-scoped publishers by namespace: a namespace appears, or the object they keep is changed or deleted. */
public final class ServiceAccountWiring {

    private ServiceAccountWiring() {}

    /** @param caPem the cluster CA to publish; null leaves the root CA publisher out */
    public static List<ControllerLoop> register(Api api, SharedInformers informers, String caPem) {
        Informer namespaces = informers.of(Kinds.NAMESPACES);
        Informer serviceAccounts = informers.of(Kinds.SERVICE_ACCOUNTS);
        List<ControllerLoop> loops = new ArrayList<>();
        ControllerLoop accounts = new ControllerLoop("serviceaccount",
                new ServiceAccountsController(api, namespaces, serviceAccounts), 1);
        namespaces.addHandler(byNamespaceName(accounts));
        serviceAccounts.addHandler(byObjectNamespace(accounts, ServiceAccountsController.DEFAULT));
        loops.add(accounts);
        if (caPem != null) {
            Informer configMaps = informers.of(Kinds.CONFIG_MAPS);
            ControllerLoop rootCa = new ControllerLoop("root-ca-cert-publisher",
                    new RootCaPublisher(api, namespaces, configMaps, caPem), 1);
            namespaces.addHandler(byNamespaceName(rootCa));
            configMaps.addHandler(byObjectNamespace(rootCa, RootCaPublisher.NAME));
            loops.add(rootCa);
        }
        return loops;
    }

    private static Informer.Handler byNamespaceName(ControllerLoop loop) {
        return new Informer.Handler() {
            @Override
            public void added(ObjectNode ns) {
                loop.queue().add(Json.text(ns, "metadata", "name"));
            }

            @Override
            public void updated(ObjectNode old, ObjectNode ns) {
                added(ns);
            }
        };
    }

    private static Informer.Handler byObjectNamespace(ControllerLoop loop, String name) {
        return new Informer.Handler() {
            @Override
            public void updated(ObjectNode old, ObjectNode obj) {
                if (name.equals(Json.text(obj, "metadata", "name"))) {
                    loop.queue().add(Json.text(obj, "metadata", "namespace"));
                }
            }

            @Override
            public void deleted(ObjectNode obj) {
                updated(obj, obj);
            }
        };
    }
}
