package io.capstan.apiserver.admission.limitranger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.authz.Forbidden;
import java.util.List;
import java.util.function.Function;

/**
 * Refuses pods and claims created outside their namespace's LimitRanges (403). Pod updates are not judged: as in
 * Kubernetes, containers' resources cannot change after create.
 */
public final class LimitRangerAdmission implements ValidatingAdmission {

    private final Function<String, List<ObjectNode>> limitRanges;

    /** @param limitRanges lists the LimitRanges of a namespace */
    public LimitRangerAdmission(Function<String, List<ObjectNode>> limitRanges) {
        this.limitRanges = limitRanges;
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.isCreate() || !request.subresource().isEmpty()) {
            return;
        }
        String resource = request.type().qualifiedResource();
        List<String> problems;
        if (resource.equals("pods")) {
            problems = LimitRanger.podProblems(request.object(), limitRanges.apply(request.namespace()));
        } else if (resource.equals("persistentvolumeclaims")) {
            problems = LimitRanger.claimProblems(request.object(), limitRanges.apply(request.namespace()));
        } else {
            return;
        }
        if (!problems.isEmpty()) {
            throw Forbidden.error("", resource, request.name(), LimitRanger.aggregate(problems));
        }
    }
}
