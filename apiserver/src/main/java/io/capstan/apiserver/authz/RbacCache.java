package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.ResourceRegistry;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.registry.Keys;
import io.capstan.apiserver.registry.ObjectCodec;
import io.capstan.store.CompactedException;
import io.capstan.store.KeyValue;
import io.capstan.store.RangeResult;
import io.capstan.store.Store;
import io.capstan.store.Watch;
import io.capstan.store.WatchClosedException;
import io.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link RbacPolicy} current with the store: loads the four RBAC kinds, then follows each
 * with a store watch (woken at once by local writes), reloading a kind when its watch falls behind.
 */
public final class RbacCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RbacCache.class);
    private static final String GROUP = "rbac.authorization.k8s.io";
    private static final List<String> KINDS = List.of("clusterroles", "roles", "clusterrolebindings", "rolebindings");

    private final Store store;
    private final ResourceRegistry types;
    private final RbacPolicy policy;
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean closed;

    public RbacCache(Store store, ResourceRegistry types, RbacPolicy policy) {
        this.store = store;
        this.types = types;
        this.policy = policy;
    }

    /** Loads everything now (so the first request is judged on the full policy), then follows changes. */
    public void start() {
        for (String resource : KINDS) {
            ResourceType type = types.find(GROUP, "v1", resource).orElseThrow();
            long revision = load(type);
            loops.add(Thread.ofVirtual().name("rbac-" + resource).start(() -> follow(type, revision)));
        }
    }

    private long load(ResourceType type) {
        RangeResult all = store.range(Keys.prefix(type, ""), null, 0, 0);
        policy.clear(type.plural());
        for (KeyValue kv : all.items()) {
            apply(type, ObjectCodec.decode(kv), false);
        }
        return all.revision();
    }

    private void follow(ResourceType type, long revision) {
        long after = revision;
        while (!closed) {
            try (Watch watch = store.watch(Keys.prefix(type, ""), after)) {
                while (!closed) {
                    WatchEvent event = watch.next(Duration.ofSeconds(1));
                    if (event != null) {
                        after = event.revision();
                        apply(type, ObjectCodec.decode(event.kv()), event.type() == WatchEvent.Type.DELETED);
                    }
                }
            } catch (CompactedException | WatchClosedException e) {
                after = reload(type, after);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("following {}: {}", type.plural(), e.toString());
                    after = reload(type, after);
                }
            }
        }
    }

    private long reload(ResourceType type, long after) {
        try {
            return closed ? after : load(type);
        } catch (RuntimeException e) {
            LOG.warn("reloading {}: {}", type.plural(), e.toString());
            return after;
        }
    }

    private void apply(ResourceType type, ObjectNode obj, boolean deleted) {
        String ns = Json.text(obj, "metadata", "namespace");
        ns = ns == null ? "" : ns;
        String name = Json.text(obj, "metadata", "name");
        switch (type.plural()) {
            case "roles" -> {
                if (deleted) {
                    policy.removeRole(ns, name);
                } else {
                    policy.putRole(ns, name, PolicyRule.listFromJson(obj.path("rules")));
                }
            }
            case "clusterroles" -> {
                if (deleted) {
                    policy.removeClusterRole(name);
                } else {
                    policy.putClusterRole(name, PolicyRule.listFromJson(obj.path("rules")));
                }
            }
            default -> {
                if (deleted) {
                    policy.removeBinding(ns, name);
                } else {
                    policy.putBinding(Binding.fromJson(obj));
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        loops.forEach(Thread::interrupt);
    }
}
