package io.capstan.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.api.ResourceType;
import io.capstan.apiserver.http.Exchange;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens signed by this server for a service account: valid while unexpired, meant for the
 * API server's audience, and while the service account (and the pod or secret it is bound to) still
 * exists with the uid it had when the token was made.
 */
public final class ServiceAccountAuthenticator implements Authenticator {

    /** Reads a stored object (for the registry's find). */
    public interface Objects {
        Optional<ObjectNode> find(ResourceType type, String namespace, String name);
    }

    private final ServiceAccountTokens tokens;
    private final Objects objects;
    private final List<String> audiences;
    private final Clock clock;

    public ServiceAccountAuthenticator(ServiceAccountTokens tokens, Objects objects, List<String> audiences, Clock clock) {
        this.tokens = tokens;
        this.objects = objects;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(Exchange exchange) {
        return BearerToken.of(exchange).flatMap(this::authenticate);
    }

    /** The service account a bearer token stands for, if it is one of ours, for the API server and still good. */
    public Optional<UserInfo> authenticate(String token) {
        return authenticateToken(token, audiences).map(TokenUser::user);
    }

    /** The service account a token stands for if it is still good and meant for one of {@code wanted}. */
    @Override
    public Optional<TokenUser> authenticateToken(String token, List<String> wanted) {
        Instant now = clock.instant();
        return tokens.verify(token, now)
                .filter(c -> c.audiences().stream().anyMatch(wanted::contains))
                .filter(c -> stillThere(Kinds.SERVICE_ACCOUNTS, c.namespace(), c.serviceAccount(), c.serviceAccountUid(), now))
                .filter(c -> c.boundKind() == null || stillThere(c.boundKind().equals("Pod") ? Kinds.PODS : Kinds.SECRETS,
                        c.namespace(), c.boundName(), c.boundUid(), now))
                .map(c -> new TokenUser(user(c), c.audiences().stream().filter(wanted::contains).toList()));
    }

    /** The object exists with that uid and is not past its deletion time (a pod being deleted keeps its token for its grace period). */
    private boolean stillThere(ResourceType type, String namespace, String name, String uid, Instant now) {
        return objects.find(type, namespace, name)
                .filter(o -> uid.equals(Json.text(o, "metadata", "uid")))
                .filter(o -> {
                    String deletion = Json.text(o, "metadata", "deletionTimestamp");
                    return deletion == null || Instant.parse(deletion).isAfter(now);
                })
                .isPresent();
    }

    static UserInfo user(ServiceAccountTokens.Claims c) {
        Map<String, List<String>> extra = c.boundKind() == null ? Map.of()
                : Map.of("authentication.kubernetes.io/" + c.boundKind().toLowerCase() + "-name", List.of(c.boundName()),
                        "authentication.kubernetes.io/" + c.boundKind().toLowerCase() + "-uid", List.of(c.boundUid()));
        return new UserInfo(ServiceAccountTokens.USER_PREFIX + c.namespace() + ":" + c.serviceAccount(), c.serviceAccountUid(),
                List.of("system:serviceaccounts", "system:serviceaccounts:" + c.namespace(), UserInfo.AUTHENTICATED), extra);
    }
}
