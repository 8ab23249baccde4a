package io.capstan.apiserver.admission;

import java.util.List;

/** A validating admission plugin: looks at the final object of a write and refuses it (a StatusException) or lets it pass. */
@FunctionalInterface
public interface ValidatingAdmission {

    /** @throws io.capstan.api.StatusException when the write may not happen */
    void validate(AdmissionRequest request);

    ValidatingAdmission NONE = request -> {};

    /** All of plugins in order; the first refusal wins. */
    static ValidatingAdmission all(List<ValidatingAdmission> plugins) {
        List<ValidatingAdmission> copy = List.copyOf(plugins);
        return request -> copy.forEach(p -> p.validate(request));
    }
}
