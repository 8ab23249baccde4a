package io.capstan.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.admission.AdmissionRequest;
import io.capstan.apiserver.admission.AdmissionResponse;
import io.capstan.apiserver.admission.ValidatingAdmission;
import io.capstan.apiserver.authz.Forbidden;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kubernetes' built-in PodSecurity admission plugin: pods are held to their namespace's enforce level (refused with
 * a 403), and pods and the pod templates of workload resources are measured against its warn level (warnings to
 * the client) and audit level (an audit annotation). Namespace labels are validated on the way in.
 */
public final class PodSecurityAdmission implements ValidatingAdmission {

    static final String ANNOTATION_PREFIX = "pod-security.kubernetes.io/";

    /** Pod subresources that cannot change the pod spec; any other is evaluated, so an unknown one fails safe. */
    private static final Set<String> IGNORED_POD_SUBRESOURCES = Set.of("exec", "attach", "binding", "eviction", "log",
            "portforward", "proxy", "status");
    /** Resources with a pod template, and where in them the template is. */
    private static final Map<String, List<String>> TEMPLATES = Map.of(
            "replicationcontrollers", List.of("spec", "template"),
            "podtemplates", List.of("template"),
            "replicasets.apps", List.of("spec", "template"),
            "deployments.apps", List.of("spec", "template"),
            "statefulsets.apps", List.of("spec", "template"),
            "daemonsets.apps", List.of("spec", "template"),
            "jobs.batch", List.of("spec", "template"),
            "cronjobs.batch", List.of("spec", "jobTemplate", "spec", "template"));

    private final PodSecurityConfig config;
    private final Evaluator evaluator;
    private final Function<String, Optional<ObjectNode>> namespaces;
    private final NamespaceLabels namespaceLabels;

    /**
     * @param namespaces reads a namespace by name
     * @param pods lists the pods of a namespace (for the warnings on a stricter enforce label)
     */
    public PodSecurityAdmission(PodSecurityConfig config, Evaluator evaluator, Function<String, Optional<ObjectNode>> namespaces,
                                Function<String, List<ObjectNode>> pods) {
        this.config = config;
        this.evaluator = evaluator;
        this.namespaces = namespaces;
        this.namespaceLabels = new NamespaceLabels(config, evaluator, pods);
    }

    @Override
    public void validate(AdmissionRequest request) {
        String resource = request.type().qualifiedResource();
        if (resource.equals("namespaces")) {
            namespaceLabels.validate(request);
        } else if (resource.equals("pods")) {
            pod(request);
        } else if (TEMPLATES.containsKey(resource)) {
            podController(request, TEMPLATES.get(resource));
        }
    }

    private void pod(AdmissionRequest request) {
        if (IGNORED_POD_SUBRESOURCES.contains(request.subresource())) {
            return;
        }
        AdmissionResponse response = request.response();
        if (exempt(request)) {
            return;
        }
        ObjectNode namespace = namespaces.apply(request.namespace()).orElseThrow(() ->
                StatusException.internal("failed to lookup namespace " + FieldError.quote(request.namespace())));
        Policy.Evaluated policy = Policy.fromLabels(Json.labels(namespace), config.defaults());
        if (policy.errors().isEmpty() && policy.policy().fullyPrivileged()) {
            response.annotate(ANNOTATION_PREFIX + "enforce-policy", LevelVersion.PRIVILEGED_LATEST.toString());
            return;
        }
        if (!request.isCreate() && !significantUpdate(request.object().path("spec"), request.oldObject().path("spec"))) {
            return; // nothing the policy looks at can have changed
        }
        evaluate(request, policy, request.object().path("metadata"), request.object().path("spec"), true);
    }

    private void podController(AdmissionRequest request, List<String> templatePath) {
        if (!request.subresource().isEmpty()) {
            return;
        }
        AdmissionResponse response = request.response();
        if (exempt(request)) {
            return;
        }
        Optional<ObjectNode> namespace = namespaces.apply(request.namespace());
        if (namespace.isEmpty()) {
            response.annotate(ANNOTATION_PREFIX + "error", "failed to lookup namespace " + FieldError.quote(request.namespace()));
            return;
        }
        Policy.Evaluated policy = Policy.fromLabels(Json.labels(namespace.get()), config.defaults());
        if (policy.errors().isEmpty() && policy.policy().warn().level() == Level.PRIVILEGED
                && policy.policy().audit().level() == Level.PRIVILEGED) {
            return;
        }
        JsonNode template = Json.at(request.object(), templatePath.toArray(String[]::new));
        if (template == null || template.isNull()) {
            return; // a ReplicationController may have no template
        }
        evaluate(request, policy, template.path("metadata"), template.path("spec"), false);
    }

    private boolean exempt(AdmissionRequest request) {
        String reason = !request.namespace().isEmpty() && config.exemptNamespaces().contains(request.namespace()) ? "namespace"
                : !request.userName().isEmpty() && config.exemptUsernames().contains(request.userName()) ? "user" : null;
        if (reason != null) {
            request.response().annotate(ANNOTATION_PREFIX + "exempt", reason);
        }
        return reason != null;
    }

    /**
     * EvaluatePod: enforce (for pods only) refuses; audit annotates; warn warns unless the request is refused anyway.
     * A level+version evaluated once is not evaluated again for another mode.
     */
    private void evaluate(AdmissionRequest request, Policy.Evaluated evaluated, JsonNode metadata, JsonNode spec, boolean enforce) {
        AdmissionResponse response = request.response();
        String runtimeClass = spec.path("runtimeClassName").asText("");
        if (!runtimeClass.isEmpty() && config.exemptRuntimeClasses().contains(runtimeClass)) {
            response.annotate(ANNOTATION_PREFIX + "exempt", "runtimeClass");
            return;
        }
        if (!evaluated.errors().isEmpty()) {
            response.annotate(ANNOTATION_PREFIX + "error", "Failed to parse policy: " + aggregate(evaluated.errors()));
        }
        Policy policy = evaluated.policy();
        Map<LevelVersion, Evaluation> cache = new HashMap<>();
        StatusException refusal = null;
        if (enforce) {
            response.annotate(ANNOTATION_PREFIX + "enforce-policy", policy.enforce().toString());
            Evaluation result = cache.computeIfAbsent(policy.enforce(), lv -> evaluator.evaluate(lv, metadata, spec));
            if (!result.allowed()) {
                refusal = Forbidden.error(request.type().group(), request.type().plural(), request.name(),
                        "violates PodSecurity " + FieldError.quote(policy.enforce().toString()) + ": " + result.details());
            }
        }
        Evaluation audit = cache.computeIfAbsent(policy.audit(), lv -> evaluator.evaluate(lv, metadata, spec));
        if (!audit.allowed()) {
            response.annotate(ANNOTATION_PREFIX + "audit-violations", "would violate PodSecurity "
                    + FieldError.quote(policy.audit().toString()) + ": " + audit.details());
        }
        if (refusal != null) {
            throw refusal;
        }
        Evaluation warn = cache.computeIfAbsent(policy.warn(), lv -> evaluator.evaluate(lv, metadata, spec));
        if (!warn.allowed()) {
            response.warn("would violate PodSecurity " + FieldError.quote(policy.warn().toString()) + ": " + warn.details());
        }
    }

    /** utilerrors.NewAggregate's message: one error as itself, several in brackets. */
    static String aggregate(List<FieldError> errors) {
        return errors.size() == 1 ? errors.getFirst().message()
                : errors.stream().map(FieldError::message).collect(Collectors.joining(", ", "[", "]"));
    }

    /** isSignificantPodUpdate: only container images (and added ephemeral containers) can change what the policy sees. */
    static boolean significantUpdate(JsonNode spec, JsonNode oldSpec) {
        for (String list : List.of("containers", "initContainers")) {
            JsonNode now = spec.path(list);
            JsonNode before = oldSpec.path(list);
            if (now.size() != before.size()) {
                return true;
            }
            for (int i = 0; i < now.size(); i++) {
                if (!now.get(i).path("image").asText("").equals(before.get(i).path("image").asText(""))) {
                    return true;
                }
            }
        }
        for (JsonNode c : spec.path("ephemeralContainers")) {
            JsonNode old = null;
            for (JsonNode o : oldSpec.path("ephemeralContainers")) {
                if (o.path("name").asText("").equals(c.path("name").asText(""))) {
                    old = o;
                    break;
                }
            }
            if (old == null || !old.path("image").asText("").equals(c.path("image").asText(""))) {
                return true;
            }
        }
        return false;
    }
}
