package io.capstan.agent.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.agent.volumes.TokenSource;
import io.capstan.api.Json;
import io.capstan.api.Kinds;
import io.capstan.client.Api;
import java.util.List;

/** Service account tokens for projected volumes through the TokenRequest API (serviceaccounts/NAME/token), bound to the pod. */
final class ApiTokenSource implements TokenSource {

    private final Api api;

    ApiTokenSource(Api api) {
        this.api = api;
    }

    @Override
    public String token(String namespace, String serviceAccount, List<String> audiences, Long expirationSeconds, String podName, String podUid) {
        ObjectNode request = Json.object().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        ObjectNode spec = request.putObject("spec");
        audiences.forEach(spec.putArray("audiences")::add);
        spec.put("expirationSeconds", expirationSeconds == null ? 3607 : expirationSeconds);
        spec.putObject("boundObjectRef").put("apiVersion", "v1").put("kind", "Pod").put("name", podName).put("uid", podUid);
        ObjectNode answer = api.createSubresource(Kinds.SERVICE_ACCOUNTS, namespace, serviceAccount, "token", request);
        String token = Json.text(answer, "status", "token");
        if (token == null) {
            throw new IllegalStateException("the API server gave no token for service account " + namespace + "/" + serviceAccount);
        }
        return token;
    }
}
