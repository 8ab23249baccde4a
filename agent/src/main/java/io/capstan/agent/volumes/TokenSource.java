package io.capstan.agent.volumes;

import java.util.List;

/** Issues service account tokens for projected volumes (the TokenRequest API, bound to the pod). */
public interface TokenSource {

    /**
     * A token for {@code serviceAccount} in {@code namespace}, bound to the pod.
     *
     * @param audiences empty for the API server's default audience
     * @param expirationSeconds null for the default (one hour)
     */
    String token(String namespace, String serviceAccount, List<String> audiences, Long expirationSeconds, String podName, String podUid);
}
