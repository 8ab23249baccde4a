package io.capstan.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.api.apply.FieldManager;
import io.capstan.api.schema.Shapes;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.registry.GenericRegistry.FieldTracker;
import java.time.Clock;
import java.util.List;

/** Who a write is by (fieldManager, else the User-Agent's product) and the managedFields bookkeeping of writes. */
final class FieldTracking {

    /** kube-apiserver's limit on manager names. */
    private static final int MAX_MANAGER_LENGTH = 128;

    private final Clock clock;

    FieldTracking(Clock clock) {
        this.clock = clock;
    }

    /** The field manager for {@code type} and subresource ("" or "status" or "scale"). */
    static FieldManager manager(ResourceType type, String subresource) {
        return new FieldManager(Shapes.BUILTIN.of(type), type.apiVersion(), subresource, type.hasStatus());
    }

    /** The tracker recording an Update by the request's manager. */
    FieldTracker updates(Exchange exchange, ResourceType type, String subresource) {
        String manager = managerName(exchange);
        FieldManager fields = manager(type, subresource);
        return (live, next) -> fields.update(live, next, manager, clock.instant());
    }

    /** Server-side apply of {@code config}; {@code live} is null when the object does not exist yet. */
    ObjectNode apply(ResourceType type, String subresource, ObjectNode live, ObjectNode config, String manager, boolean force) {
        return manager(type, subresource).apply(live, config, manager, force, clock.instant());
    }

    /** managerOrUserAgent: the fieldManager parameter, else the User-Agent up to its first "/". */
    static String managerName(Exchange exchange) {
        String manager = exchange.query("fieldManager");
        if (manager != null && !manager.isEmpty()) {
            return checked(manager);
        }
        String agent = exchange.header("User-Agent");
        if (agent == null) {
            return "";
        }
        String prefix = agent.split("/", 2)[0];
        StringBuilder s = new StringBuilder();
        prefix.codePoints().filter(c -> !Character.isISOControl(c))
                .forEach(c -> {
                    if (s.length() + Character.charCount(c) <= MAX_MANAGER_LENGTH) {
                        s.appendCodePoint(c);
                    }
                });
        return s.toString();
    }

    /** The fieldManager of an apply, which must be given. */
    static String applyManager(Exchange exchange) {
        String manager = exchange.query("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw StatusException.invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "",
                    List.of(FieldError.required("fieldManager", "is required for apply patch")));
        }
        return checked(manager);
    }

    private static String checked(String manager) {
        if (manager.length() > MAX_MANAGER_LENGTH) {
            throw StatusException.invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", "",
                    List.of(new FieldError(FieldError.Type.TOO_LONG, "fieldManager", null,
                            "may not be more than " + MAX_MANAGER_LENGTH + " bytes")));
        }
        return manager;
    }
}
