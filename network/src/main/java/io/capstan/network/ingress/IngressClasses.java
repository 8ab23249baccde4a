package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which Ingresses this controller serves: those of an IngressClass naming controller capstan.io/ingress, and those without a class. */
public final class IngressClasses {

    /** The spec.controller of Capstan's IngressClasses. */
    public static final String CONTROLLER = "capstan.io/ingress";
    /** The IngressClass the server creates, marked as the cluster's default. */
    public static final String DEFAULT_CLASS = "capstan";
    static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    /** The annotation that named a class before spec.ingressClassName existed; still honoured by controllers. */
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private final Set<String> ours;

    private IngressClasses(Set<String> ours) {
        this.ours = ours;
    }

    /** The names of the classes handled by this controller, from the IngressClass objects there are. */
    static IngressClasses of(List<ObjectNode> ingressClasses) {
        return new IngressClasses(ingressClasses.stream()
                .filter(c -> CONTROLLER.equals(c.path("spec").path("controller").asText()))
                .map(c -> c.path("metadata").path("name").asText())
                .collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether this controller serves the Ingress. */
    boolean handles(JsonNode ingress) {
        JsonNode className = ingress.path("spec").path("ingressClassName");
        if (className.isTextual() && !className.asText().isEmpty()) {
            return ours.contains(className.asText());
        }
        JsonNode legacy = ingress.path("metadata").path("annotations").path(LEGACY_CLASS_ANNOTATION);
        if (legacy.isTextual() && !legacy.asText().isEmpty()) {
            return ours.contains(legacy.asText());
        }
        return true;
    }

    /** The default IngressClass, as the server creates it. */
    public static ObjectNode defaultClass() {
        ObjectNode ic = io.capstan.api.Json.object().put("apiVersion", "networking.k8s.io/v1").put("kind", "IngressClass");
        ic.putObject("metadata").put("name", DEFAULT_CLASS).putObject("annotations").put(DEFAULT_CLASS_ANNOTATION, "true");
        ic.putObject("spec").put("controller", CONTROLLER);
        return ic;
    }
}
