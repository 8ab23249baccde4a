package io.capstan.network.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressRulesTest {

    private static final IngressRules RULES = IngressRules.of(List.of(Yaml.object("""
            metadata: {name: shop, namespace: web, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              rules:
              - host: shop.example.com
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: front, port: {number: 80}}}}
                  - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}
                  - {path: /api/v2/, pathType: Prefix, backend: {service: {name: api-v2, port: {number: 8080}}}}
                  - {path: /login, pathType: Exact, backend: {service: {name: login, port: {number: 80}}}}
                  - {path: /login, pathType: Prefix, backend: {service: {name: login-prefix, port: {number: 80}}}}
                  - {path: /static, pathType: ImplementationSpecific, backend: {service: {name: static, port: {number: 80}}}}
              - host: "*.example.com"
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: wildcard, port: {number: 80}}}}
              - http:
                  paths:
                  - {path: /any, pathType: Prefix, backend: {service: {name: any-host, port: {number: 80}}}}
            """)));

    private static String service(IngressRules rules, String host, String path) {
        return rules.match(host, path).map(Backend::service).orElse("404");
    }

    @Test
    void longestPrefixWins() {
        assertThat(service(RULES, "shop.example.com", "/")).isEqualTo("front");
        assertThat(service(RULES, "shop.example.com", "/cart")).isEqualTo("front");
        assertThat(service(RULES, "shop.example.com", "/api")).isEqualTo("api");
        assertThat(service(RULES, "shop.example.com", "/api/v1/items")).isEqualTo("api");
        assertThat(service(RULES, "shop.example.com", "/api/v2")).isEqualTo("api-v2");
        assertThat(service(RULES, "shop.example.com", "/api/v2/items")).isEqualTo("api-v2");
    }

    @Test
    void prefixMatchesWholePathElementsOnly() {
        assertThat(service(RULES, "shop.example.com", "/apis")).isEqualTo("front");
        assertThat(service(RULES, "shop.example.com", "/api/")).isEqualTo("api");
        assertThat(service(RULES, "shop.example.com", "/static/app.js")).isEqualTo("static");
        assertThat(service(RULES, "shop.example.com", "/staticfiles")).isEqualTo("front");
    }

    @Test
    void exactBeatsPrefixOfTheSameLengthButMatchesOnlyItself() {
        assertThat(service(RULES, "shop.example.com", "/login")).isEqualTo("login");
        assertThat(service(RULES, "shop.example.com", "/login/")).isEqualTo("login-prefix");
        assertThat(service(RULES, "shop.example.com", "/login/sso")).isEqualTo("login-prefix");
    }

    @Test
    void backendNamesTheServicePortByNumberOrName() {
        assertThat(RULES.match("shop.example.com", "/")).contains(new Backend("web", "front", 80, null));
        assertThat(RULES.match("shop.example.com", "/api")).contains(new Backend("web", "api", 0, "http"));
    }

    @Test
    void hostIsCaseInsensitiveAndMayCarryAPort() {
        assertThat(service(RULES, "SHOP.example.com:8443", "/api")).isEqualTo("api");
        assertThat(service(RULES, "shop.example.com.", "/api")).isEqualTo("api");
    }

    @Test
    void wildcardCoversExactlyOneLabelAndYieldsToAnExactHost() {
        assertThat(service(RULES, "blog.example.com", "/api")).isEqualTo("wildcard");
        assertThat(service(RULES, "a.blog.example.com", "/any")).isEqualTo("any-host");
        assertThat(service(RULES, "example.com", "/any")).isEqualTo("any-host");
        assertThat(service(RULES, "shop.example.com", "/any")).isEqualTo("front");
    }

    @Test
    void unmatchedRequestsAre404WithoutADefaultBackend() {
        assertThat(service(RULES, "other.org", "/")).isEqualTo("404");
        assertThat(service(RULES, null, "/")).isEqualTo("404");
        assertThat(service(RULES, "10.0.0.1", "/any/thing")).isEqualTo("any-host");
    }

    @Test
    void defaultBackendTakesWhatNoRuleMatches() {
        IngressRules rules = IngressRules.of(List.of(Yaml.object("""
                metadata: {name: a, namespace: ns}
                spec:
                  defaultBackend: {service: {name: fallback, port: {number: 80}}}
                  rules:
                  - host: a.test
                    http: {paths: [{path: /app, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}]}
                """)));
        assertThat(service(rules, "a.test", "/app/x")).isEqualTo("app");
        assertThat(service(rules, "a.test", "/other")).isEqualTo("fallback");
        assertThat(service(rules, "b.test", "/")).isEqualTo("fallback");
    }

    @Test
    void olderIngressKeepsAHostAndPathBothClaimAndRulesOfSeveralIngressesMerge() {
        IngressRules rules = IngressRules.of(List.of(Yaml.object("""
                metadata: {name: newer, namespace: ns, creationTimestamp: "2026-02-01T00:00:00Z"}
                spec:
                  rules:
                  - host: a.test
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: newer, port: {number: 80}}}},
                                   {path: /extra, pathType: Prefix, backend: {service: {name: extra, port: {number: 80}}}}]}
                """), Yaml.object("""
                metadata: {name: older, namespace: other, creationTimestamp: "2026-01-01T00:00:00Z"}
                spec:
                  rules:
                  - host: a.test
                    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: older, port: {number: 80}}}}]}
                """)));
        assertThat(rules.match("a.test", "/")).contains(new Backend("other", "older", 80, null));
        assertThat(rules.match("a.test", "/extra/1")).contains(new Backend("ns", "extra", 80, null));
    }

    @Test
    void resourceBackendsAreNotServed() {
        IngressRules rules = IngressRules.of(List.of(Yaml.object("""
                metadata: {name: r, namespace: ns}
                spec:
                  rules:
                  - http: {paths: [{path: /, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}}]}
                """)));
        assertThat(rules.match("x", "/")).isEqualTo(Optional.empty());
    }
}
