package io.capstan.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.Authenticator;
import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.endpoints.BodyDecoder;
import io.capstan.apiserver.http.Exchange;
import io.capstan.apiserver.http.RequestInfo;
import io.capstan.apiserver.http.Responses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The create-only review kinds, answered and never stored: SelfSubjectAccessReview,
 * SubjectAccessReview, LocalSubjectAccessReview and SelfSubjectRulesReview
 * (authorization.k8s.io/v1; `kubectl auth can-i`), SelfSubjectReview (authentication.k8s.io/v1;
 * `kubectl auth whoami`) and TokenReview (authentication.k8s.io/v1: who a token stands for, for webhooks and add-ons).
 */
public final class Reviews {

    /** A review kind as discovery lists it (version v1, verb create). */
    public record Kind(String group, String plural, String kind, boolean namespaced) {}

    private static final String AUTHZ = "authorization.k8s.io";
    private static final String AUTHN = "authentication.k8s.io";

    /** The review kinds served, in the order kube-apiserver's discovery lists them. */
    public static final List<Kind> SERVED = List.of(
            new Kind(AUTHN, "selfsubjectreviews", "SelfSubjectReview", false),
            new Kind(AUTHN, "tokenreviews", "TokenReview", false),
            new Kind(AUTHZ, "localsubjectaccessreviews", "LocalSubjectAccessReview", true),
            new Kind(AUTHZ, "selfsubjectaccessreviews", "SelfSubjectAccessReview", false),
            new Kind(AUTHZ, "selfsubjectrulesreviews", "SelfSubjectRulesReview", false),
            new Kind(AUTHZ, "subjectaccessreviews", "SubjectAccessReview", false));

    private final Authorizer authorizer;
    private final RbacPolicy policy;
    private final Authenticator authenticator;
    private final List<String> apiAudiences;

    /** @param apiAudiences the audiences a TokenReview checks when it names none: the API server's own */
    public Reviews(Authorizer authorizer, RbacPolicy policy, Authenticator authenticator, List<String> apiAudiences) {
        this.authorizer = authorizer;
        this.policy = policy;
        this.authenticator = authenticator;
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    /** Whether the request addresses one of the review kinds. */
    public static boolean handles(RequestInfo info) {
        return info.resourceRequest() && kind(info) != null;
    }

    private static Kind kind(RequestInfo info) {
        for (Kind k : SERVED) {
            if (k.group().equals(info.group()) && k.plural().equals(info.resource())) {
                return k;
            }
        }
        return null;
    }

    public void serve(Exchange exchange, RequestInfo info) throws IOException {
        boolean localReview = info.resource().equals("localsubjectaccessreviews");
        if (!info.version().equals("v1") || !info.name().isEmpty() || !info.subresource().isEmpty()
                || localReview == info.namespace().isEmpty()) {
            throw StatusException.pathNotFound();
        }
        if (!info.verb().equals("create")) {
            throw StatusException.methodNotAllowed();
        }
        String kind = kind(info).kind();
        ObjectNode review = BodyDecoder.anyObject(exchange.body(), exchange.contentType());
        review.put("apiVersion", info.group() + "/v1").put("kind", kind);
        ObjectNode meta = Json.with(review, "metadata");
        if (!meta.has("creationTimestamp")) {
            meta.putNull("creationTimestamp");
        }
        UserInfo user = exchange.user();
        ObjectNode spec = Json.with(review, "spec");
        switch (info.resource()) {
            case "selfsubjectaccessreviews" -> review.set("status", access(kind, user, spec));
            case "subjectaccessreviews", "localsubjectaccessreviews" -> {
                if (localReview) {
                    String ns = spec.path("resourceAttributes").path("namespace").asText("");
                    if (ns.isEmpty() && spec.path("resourceAttributes").isObject()) {
                        Json.with(spec, "resourceAttributes").put("namespace", info.namespace());
                    } else if (!ns.equals(info.namespace())) {
                        throw invalid(kind, "spec.resourceAttributes.namespace", ns, "must match metadata.namespace");
                    }
                    meta.put("namespace", info.namespace());
                }
                review.set("status", access(kind, subject(kind, spec), spec));
            }
            case "selfsubjectrulesreviews" -> review.set("status", rules(user, spec.path("namespace").asText("")));
            case "tokenreviews" -> review.set("status", token(spec));
            default -> review.putObject("status").set("userInfo", userInfo(user));
        }
        Responses.json(exchange, 201, review);
    }

    /** TokenReview, as kube-apiserver answers it: unknown or unfit tokens are simply not authenticated. */
    private ObjectNode token(ObjectNode spec) {
        String token = spec.path("token").asText("");
        if (token.isEmpty()) {
            throw StatusException.badRequest("token is required for TokenReview in authentication");
        }
        List<String> asked = new ArrayList<>();
        spec.path("audiences").forEach(a -> asked.add(a.asText()));
        List<String> audiences = asked.isEmpty() ? apiAudiences : asked;
        ObjectNode status = Json.object();
        authenticator.authenticateToken(token, audiences).ifPresentOrElse(found -> {
            status.put("authenticated", true);
            status.set("user", userInfo(found.user()));
            status.set("audiences", strings(found.audiences()));
        }, () -> status.putObject("user"));
        return status;
    }

    private ObjectNode access(String kind, UserInfo user, ObjectNode spec) {
        JsonNode resource = spec.path("resourceAttributes");
        JsonNode nonResource = spec.path("nonResourceAttributes");
        if (resource.isObject() == nonResource.isObject()) {
            throw invalid(kind, "spec.resourceAttributes", "", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        Attributes a = resource.isObject()
                ? new Attributes(user, resource.path("verb").asText(""), true, resource.path("group").asText(""),
                        resource.path("version").asText(""), resource.path("resource").asText(""),
                        resource.path("subresource").asText(""), resource.path("namespace").asText(""),
                        resource.path("name").asText(""), "")
                : Attributes.nonResource(user, nonResource.path("verb").asText(""), nonResource.path("path").asText(""));
        Decision d = authorizer.authorize(a);
        ObjectNode status = Json.object().put("allowed", d.allowed());
        if (!d.reason().isEmpty()) {
            status.put("reason", d.reason());
        }
        return status;
    }

    /** The user a SubjectAccessReview asks about; it must name a user or a group. */
    private static UserInfo subject(String kind, ObjectNode spec) {
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw invalid(kind, "spec.user", "", "at least one of user or group must be specified");
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.path("extra").properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            extra.put(e.getKey(), values);
        });
        return new UserInfo(user, spec.path("uid").asText(""), groups, extra);
    }

    /** SelfSubjectRulesReview: every rule the user holds in the namespace, as Kubernetes' RBAC RulesFor lists them. */
    private ObjectNode rules(UserInfo user, String namespace) {
        RbacPolicy.Resolution resolution = policy.rulesFor(user, namespace);
        ObjectNode status = Json.object();
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule r : resolution.rules()) {
            if (!r.resources().isEmpty()) {
                ObjectNode o = resourceRules.addObject();
                o.set("verbs", strings(r.verbs()));
                o.set("apiGroups", strings(r.apiGroups()));
                o.set("resources", strings(r.resources()));
                if (!r.resourceNames().isEmpty()) {
                    o.set("resourceNames", strings(r.resourceNames()));
                }
            }
            if (!r.nonResourceURLs().isEmpty()) {
                ObjectNode o = nonResourceRules.addObject();
                o.set("verbs", strings(r.verbs()));
                o.set("nonResourceURLs", strings(r.nonResourceURLs()));
            }
        }
        status.put("incomplete", !resolution.errors().isEmpty());
        if (!resolution.errors().isEmpty()) {
            status.put("evaluationError", RbacAuthorizer.aggregate(resolution.errors()));
        }
        return status;
    }

    private static ObjectNode userInfo(UserInfo user) {
        ObjectNode info = Json.object().put("username", user.name());
        if (!user.uid().isEmpty()) {
            info.put("uid", user.uid());
        }
        info.set("groups", strings(user.groups()));
        if (!user.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            user.extra().forEach((k, v) -> extra.set(k, strings(v)));
        }
        return info;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.array();
        values.forEach(a::add);
        return a;
    }

    private static StatusException invalid(String kind, String field, String value, String detail) {
        return StatusException.invalid(kind + "." + (kind.equals("SelfSubjectReview") ? AUTHN : AUTHZ),
                kind.equals("SelfSubjectReview") ? AUTHN : AUTHZ, kind, "", List.of(FieldError.invalid(field, value, detail)));
    }
}
