package io.capstan.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.ResourceType;
import io.capstan.api.quota.QuotaUsage;
import io.capstan.api.quota.Quotas;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.authz.Forbidden;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Refuses creates that would take a namespace past one of its ResourceQuotas (403 "exceeded quota: ..."), counting
 * the stored objects at admission rather than trusting status.used, which the controller fills in later.
 * Creates are serialized per namespace by the registry, so two cannot both take the last unit.
 */
public final class ResourceQuotaAdmission implements ValidatingAdmission {

    private final Function<String, List<ObjectNode>> quotas;
    private final BiFunction<ResourceType, String, List<ObjectNode>> objects;

    /**
     * @param quotas lists the ResourceQuotas of a namespace
     * @param objects lists the stored objects of a type in a namespace
     */
    public ResourceQuotaAdmission(Function<String, List<ObjectNode>> quotas, BiFunction<ResourceType, String, List<ObjectNode>> objects) {
        this.quotas = quotas;
        this.objects = objects;
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.isCreate() || !request.subresource().isEmpty() || request.namespace().isEmpty()) {
            return;
        }
        ResourceType type = request.type();
        List<ObjectNode> stored = null;
        for (ObjectNode quota : quotas.apply(request.namespace())) {
            if (!Quotas.counts(quota, type, request.object())) {
                continue;
            }
            String quotaName = quota.path("metadata").path("name").asText("");
            Map<String, Long> hard = Quotas.hard(quota);
            if (type.qualifiedResource().equals("pods")) {
                String missing = QuotaUsage.missing(request.object(), hard.keySet());
                if (!missing.isEmpty()) {
                    throw forbidden(request, "failed quota: " + quotaName + ": " + missing);
                }
            }
            if (stored == null) {
                stored = objects.apply(type, request.namespace());
            }
            Map<String, Long> used = Quotas.used(quota, type, stored);
            Optional<String> exceeded = Quotas.exceeded(quotaName, hard, used, QuotaUsage.of(type, request.object()));
            if (exceeded.isPresent()) {
                throw forbidden(request, exceeded.get());
            }
        }
    }

    private static RuntimeException forbidden(AdmissionRequest request, String why) {
        ResourceType type = request.type();
        return Forbidden.error(type.group(), type.plural(), request.name(), why);
    }
}
