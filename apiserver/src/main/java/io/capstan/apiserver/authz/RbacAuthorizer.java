package io.capstan.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * Role-based access control as Kubernetes' RBAC authorizer decides it, preceded by the
 * privileged-group authorizer: members of system:masters may do anything.
 */
public final class RbacAuthorizer implements Authorizer {

    public static final String MASTERS = "system:masters";

    private final RbacPolicy policy;

    public RbacAuthorizer(RbacPolicy policy) {
        this.policy = policy;
    }

    public RbacPolicy policy() {
        return policy;
    }

    @Override
    public Decision authorize(Attributes attributes) {
        if (attributes.user().groups().contains(MASTERS)) {
            return Decision.ALLOW;
        }
        List<String> errors = new ArrayList<>(0);
        boolean allowed = policy.visit(attributes.user(), attributes.namespace(), rule -> !rule.allows(attributes), errors);
        if (allowed) {
            return Decision.ALLOW;
        }
        return errors.isEmpty() ? Decision.NO_OPINION : new Decision(false, "RBAC: " + aggregate(errors));
    }

    /** How Go's utilerrors.NewAggregate prints: one error alone, several as [a, b]. */
    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
    }
}
