package io.capstan.network.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which certificate answers a TLS handshake: the Secret of the spec.tls entry whose hosts hold the SNI name (exactly,
 * else through a {@code *.} wildcard), else that of an entry without hosts, else the self-signed default. Immutable;
 * rebuilt when an Ingress or Secret changes, which is how a renewed Secret takes effect.
 */
final class TlsCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(TlsCertificates.class);

    private final Map<String, KeyEntry> exact;
    private final Map<String, KeyEntry> wildcard;
    private final KeyEntry anyHost;
    private final KeyEntry fallback;
    private final Map<String, KeyEntry> byAlias;

    private TlsCertificates(Map<String, KeyEntry> exact, Map<String, KeyEntry> wildcard, KeyEntry anyHost, KeyEntry fallback) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.anyHost = anyHost;
        this.fallback = fallback;
        this.byAlias = new HashMap<>();
        exact.values().forEach(e -> byAlias.put(e.alias(), e));
        wildcard.values().forEach(e -> byAlias.put(e.alias(), e));
        if (anyHost != null) {
            byAlias.put(anyHost.alias(), anyHost);
        }
        byAlias.put(fallback.alias(), fallback);
    }

    static TlsCertificates only(KeyEntry fallback) {
        return new TlsCertificates(Map.of(), Map.of(), null, fallback);
    }

    /**
     * The certificates of these (handled) Ingresses; a Secret that is missing, not of type kubernetes.io/tls or unreadable
     * is skipped with a warning, so its hosts get the default certificate.
     *
     * @param secret the Secret by namespace and name
     */
    static TlsCertificates of(List<ObjectNode> ingresses, BiFunction<String, String, Optional<ObjectNode>> secret, KeyEntry fallback) {
        List<ObjectNode> sorted = IngressRules.oldestFirst(ingresses);
        Map<String, KeyEntry> parsed = new HashMap<>();
        Map<String, KeyEntry> exact = new HashMap<>();
        Map<String, KeyEntry> wildcard = new HashMap<>();
        KeyEntry anyHost = null;
        for (ObjectNode ingress : sorted) {
            String namespace = ingress.path("metadata").path("namespace").asText("default");
            for (JsonNode tls : ingress.path("spec").path("tls")) {
                String secretName = tls.path("secretName").asText("");
                if (secretName.isEmpty()) {
                    continue;
                }
                String alias = namespace + "/" + secretName;
                KeyEntry entry = parsed.containsKey(alias) ? parsed.get(alias) : load(alias, secret.apply(namespace, secretName));
                parsed.put(alias, entry);
                if (entry == null) {
                    continue;
                }
                if (tls.path("hosts").isEmpty() && anyHost == null) {
                    anyHost = entry;
                }
                for (JsonNode h : tls.path("hosts")) {
                    String host = h.asText().toLowerCase(Locale.ROOT);
                    // The oldest Ingress keeps a host another one also claims.
                    if (host.startsWith("*.")) {
                        wildcard.putIfAbsent(host.substring(2), entry);
                    } else {
                        exact.putIfAbsent(host, entry);
                    }
                }
            }
        }
        return new TlsCertificates(exact, wildcard, anyHost, fallback);
    }

    private static KeyEntry load(String alias, Optional<ObjectNode> secret) {
        if (secret.isEmpty()) {
            LOG.warn("ingress TLS secret {} not found: its hosts get the default certificate", alias);
            return null;
        }
        JsonNode data = secret.get().path("data");
        try {
            return KeyEntry.fromPem(alias, decode(data.path("tls.crt")), decode(data.path("tls.key")));
        } catch (IllegalArgumentException e) {
            LOG.warn("ingress TLS secret {} unusable ({}): its hosts get the default certificate", alias, e.getMessage());
            return null;
        }
    }

    private static String decode(JsonNode base64) {
        if (!base64.isTextual()) {
            throw new IllegalArgumentException("missing");
        }
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.US_ASCII);
    }

    /** The certificate for a handshake naming sni (null or empty: the client sent no name). */
    KeyEntry select(String sni) {
        if (sni != null && !sni.isEmpty()) {
            String host = sni.toLowerCase(Locale.ROOT);
            KeyEntry entry = exact.get(host);
            if (entry != null) {
                return entry;
            }
            int dot = host.indexOf('.');
            entry = dot > 0 ? wildcard.get(host.substring(dot + 1)) : null;
            if (entry != null) {
                return entry;
            }
        }
        return anyHost != null ? anyHost : fallback;
    }

    /** A certificate by the alias {@link #select} gave it, or null when this table no longer holds it. */
    KeyEntry byAlias(String alias) {
        return byAlias.get(alias);
    }
}
