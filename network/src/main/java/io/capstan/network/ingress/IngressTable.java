package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.ObjectCache;
import java.util.List;

/**
 * The current routing and certificate tables, rebuilt from the caches when an Ingress, an IngressClass or a Secret one
 * of them names changes; readers on the request path only read a volatile reference.
 */
final class IngressTable {

    private final ObjectCache ingresses;
    private final ObjectCache classes;
    private final ObjectCache secrets;
    private final KeyEntry fallback;
    private final SniKeyManager keys;
    private volatile IngressClasses ours = IngressClasses.of(List.of());
    private volatile IngressRules rules = IngressRules.EMPTY;
    private volatile List<ObjectNode> served = List.of();

    IngressTable(ObjectCache ingresses, ObjectCache classes, ObjectCache secrets, KeyEntry fallback) {
        this.ingresses = ingresses;
        this.classes = classes;
        this.secrets = secrets;
        this.fallback = fallback;
        this.keys = new SniKeyManager(TlsCertificates.only(fallback));
    }

    /** Recomputes both tables from the caches; called from several informers' threads, hence one at a time. */
    synchronized void rebuild() {
        IngressClasses classes = IngressClasses.of(this.classes.list());
        List<ObjectNode> handled = ingresses.list().stream().filter(classes::handles).toList();
        ours = classes;
        served = handled;
        rules = IngressRules.of(handled);
        keys.update(TlsCertificates.of(handled, secrets::get, fallback));
    }

    /** Rebuilds when a Secret some served Ingress's spec.tls names was added, changed or deleted. */
    void secretChanged(ObjectNode secret) {
        String namespace = secret.path("metadata").path("namespace").asText();
        String name = secret.path("metadata").path("name").asText();
        boolean named = served.stream().anyMatch(i -> namespace.equals(i.path("metadata").path("namespace").asText())
                && java.util.stream.StreamSupport.stream(i.path("spec").path("tls").spliterator(), false)
                        .anyMatch(t -> name.equals(t.path("secretName").asText())));
        if (named) {
            rebuild();
        }
    }

    IngressRules rules() {
        return rules;
    }

    IngressClasses classes() {
        return ours;
    }

    SniKeyManager keyManager() {
        return keys;
    }
}
