package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.FieldError;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.api.StatusException;
import io.capstan.apiserver.auth.ServiceAccountTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The serviceaccounts/token subresource (TokenRequest, authentication.k8s.io/v1): a signed token for
 * the service account, for the asked audiences (default: the API server's) and lifetime (at least
 * 10 minutes, default an hour), optionally bound to a Pod or Secret of the namespace.
 */
public final class TokenRequests {

    static final long DEFAULT_SECONDS = 3600;
    static final long MIN_SECONDS = 600;
    static final long MAX_SECONDS = 1L << 32;

    private final GenericRegistry registry;
    private final ServiceAccountTokens tokens;
    private final List<String> defaultAudiences;
    private final Clock clock;

    public TokenRequests(GenericRegistry registry, ServiceAccountTokens tokens, List<String> defaultAudiences, Clock clock) {
        this.registry = registry;
        this.tokens = tokens;
        this.defaultAudiences = List.copyOf(defaultAudiences);
        this.clock = clock;
    }

    /** The TokenRequest answered: the request's spec with its defaults, and status.token and status.expirationTimestamp. */
    public ObjectNode create(String namespace, String name, JsonNode request) {
        JsonNode spec = request.path("spec");
        long seconds = spec.path("expirationSeconds").asLong(DEFAULT_SECONDS);
        List<FieldError> errors = new ArrayList<>();
        if (seconds < MIN_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration less than 10 minutes"));
        } else if (seconds > MAX_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds), "may not specify a duration larger than 2^32 seconds"));
        }
        JsonNode ref = spec.path("boundObjectRef");
        String kind = ref.isObject() ? ref.path("kind").asText("") : null;
        if (kind != null && !kind.equals("Pod") && !kind.equals("Secret")) {
            errors.add(FieldError.notSupported("spec.boundObjectRef.kind", kind, "supported values: \"Pod\", \"Secret\""));
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid("TokenRequest.authentication.k8s.io", "authentication.k8s.io", "TokenRequest", name, errors);
        }
        ObjectNode sa = registry.get(Kinds.SERVICE_ACCOUNTS, namespace, name);
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.addAll(defaultAudiences);
        }
        String boundName = null;
        String boundUid = null;
        if (kind != null) {
            ResourceType type = kind.equals("Pod") ? Kinds.PODS : Kinds.SECRETS;
            boundName = ref.path("name").asText("");
            ObjectNode bound = registry.get(type, namespace, boundName);
            boundUid = Json.text(bound, "metadata", "uid");
            String wantedUid = ref.path("uid").asText("");
            if (!wantedUid.isEmpty() && !wantedUid.equals(boundUid)) {
                throw StatusException.conflict(type, boundName, "the UID in the bound object reference (" + wantedUid
                        + ") does not match the UID in record. The object might have been deleted and then recreated");
            }
            if (kind.equals("Pod") && !name.equals(Json.with(bound, "spec").path("serviceAccountName").asText("default"))) {
                throw StatusException.badRequest("cannot bind token for serviceaccount " + FieldError.quote(name)
                        + " to pod running with different serviceaccount name.");
            }
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expires = now.plusSeconds(seconds);
        String token = tokens.sign(new ServiceAccountTokens.Claims(namespace, name, Json.text(sa, "metadata", "uid"), kind, boundName,
                boundUid, audiences, now, expires));

        ObjectNode answer = Json.object().put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        answer.putObject("metadata").put("name", name).put("namespace", namespace).put("creationTimestamp", now.toString());
        ObjectNode outSpec = answer.putObject("spec");
        audiences.forEach(outSpec.putArray("audiences")::add);
        outSpec.put("expirationSeconds", seconds);
        if (kind != null) {
            outSpec.putObject("boundObjectRef").put("kind", kind).put("apiVersion", "v1").put("name", boundName)
                    .put("uid", boundUid);
        } else {
            outSpec.putNull("boundObjectRef");
        }
        answer.putObject("status").put("token", token).put("expirationTimestamp", expires.toString());
        return answer;
    }
}
