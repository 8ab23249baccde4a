package io.capstan.apiserver.registry;

import io.capstan.api.ResourceType;

/** Where objects live in the store: /registry/{resource[.group]}/{namespace}/{name}, as kube-apiserver lays out etcd. */
public final class Keys {

    private Keys() {}

    public static String key(ResourceType type, String namespace, String name) {
        return type.namespaced() ? prefix(type, namespace) + name : root(type) + name;
    }

    /** Every object of the kind in namespace ("" or null: in all namespaces). */
    public static String prefix(ResourceType type, String namespace) {
        return type.namespaced() && namespace != null && !namespace.isEmpty() ? root(type) + namespace + "/" : root(type);
    }

    private static String root(ResourceType type) {
        return root(type.qualifiedResource());
    }

    /** Every object of a resource ("crontabs.stable.example.com"), whichever version serves it. */
    public static String root(String qualifiedResource) {
        return "/registry/" + qualifiedResource + "/";
    }
}
