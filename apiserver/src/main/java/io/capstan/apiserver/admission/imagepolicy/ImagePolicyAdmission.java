package io.capstan.apiserver.admission.imagepolicy;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.api.FieldError;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.authz.Forbidden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses pods whose images the image policy does not allow (403 Forbidden). On update only images that changed
 * are judged, so pods admitted before a policy change can still be labelled, annotated and deleted.
 */
public final class ImagePolicyAdmission implements ValidatingAdmission {

    private final ImagePolicy policy;

    public ImagePolicyAdmission(ImagePolicy policy) {
        this.policy = policy;
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!request.type().qualifiedResource().equals("pods")
                || !(request.subresource().isEmpty() || request.subresource().equals("ephemeralcontainers"))) {
            return;
        }
        Optional<ImagePolicy.Rule> rule = policy.ruleFor(request.namespace());
        if (rule.isEmpty()) {
            return;
        }
        Map<String, String> before = request.oldObject() == null ? Map.of() : images(request.oldObject().path("spec"));
        List<String> problems = new ArrayList<>();
        images(request.object().path("spec")).forEach((container, image) -> {
            if (!image.equals(before.get(container))) {
                problem(container, image, rule.get()).ifPresent(problems::add);
            }
        });
        if (!problems.isEmpty()) {
            throw Forbidden.error("", "pods", request.name(), "image policy: " + String.join("; ", problems));
        }
    }

    /** What is wrong with one container's image under rule, if anything. */
    static Optional<String> problem(String container, String image, ImagePolicy.Rule rule) {
        String who = "container " + FieldError.quote(container) + " uses image " + FieldError.quote(image);
        Optional<ImageReference> parsed = ImageReference.parse(image);
        if (parsed.isEmpty()) {
            return Optional.of(who + ", which is not a valid image reference");
        }
        ImageReference ref = parsed.get();
        List<String> wrong = new ArrayList<>();
        if (!rule.allows(ref)) {
            wrong.add("is not from an allowed registry (" + String.join(", ", rule.allowed()) + ")");
        }
        if (rule.requireDigest() && ref.digest() == null) {
            wrong.add("is not pinned by digest (image@sha256:...)");
        }
        return wrong.isEmpty() ? Optional.empty()
                : Optional.of(who + " (" + ref + "), which " + String.join(" and ", wrong));
    }

    /** Container name to image, over init, regular and ephemeral containers. */
    private static Map<String, String> images(JsonNode spec) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : spec.path(list)) {
                out.put(c.path("name").asText(""), c.path("image").asText(""));
            }
        }
        return out;
    }
}
