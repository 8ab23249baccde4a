package io.capstan.apiserver.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.apiserver.auth.UserInfo;
import io.capstan.apiserver.authz.Attributes;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditPolicyTest {

    private static final UserInfo ALICE = new UserInfo("alice", List.of("dev", UserInfo.AUTHENTICATED));
    private static final UserInfo PROXY = new UserInfo("system:kube-proxy", List.of(UserInfo.AUTHENTICATED));

    private final AuditPolicy policy = parse("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              users: ["system:kube-proxy"]
              verbs: ["watch"]
              resources:
              - group: ""
                resources: ["endpoints", "services"]
            - level: None
              nonResourceURLs: ["/healthz*", "/version"]
            - level: Metadata
              resources:
              - group: ""
                resources: ["secrets", "configmaps"]
            - level: Request
              resources:
              - group: ""
                resources: ["pods/log", "*/scale"]
              - group: "apps"
                resources: ["deployments/*"]
            - level: RequestResponse
              userGroups: ["dev"]
              namespaces: ["team"]
            - level: Metadata
            """);

    @Test
    void theFirstMatchingRuleGivesTheLevel() {
        assertThat(policy.level(Attributes.resource(PROXY, "watch", "", "services", "", "", ""))).isEqualTo(AuditLevel.None);
        assertThat(policy.level(Attributes.resource(PROXY, "list", "", "services", "", "", ""))).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.level(Attributes.resource(ALICE, "create", "", "secrets", "", "team", "s"))).isEqualTo(AuditLevel.Metadata);
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByTrailingStar() {
        assertThat(policy.level(Attributes.nonResource(ALICE, "get", "/healthz/ready"))).isEqualTo(AuditLevel.None);
        assertThat(policy.level(Attributes.nonResource(ALICE, "get", "/version"))).isEqualTo(AuditLevel.None);
        assertThat(policy.level(Attributes.nonResource(ALICE, "get", "/version/x"))).isEqualTo(AuditLevel.Metadata);
    }

    @Test
    void subresourcesMatchByNameStarSlashOrSlashStar() {
        assertThat(policy.level(Attributes.resource(ALICE, "get", "", "pods", "log", "x", "p"))).isEqualTo(AuditLevel.Request);
        assertThat(policy.level(Attributes.resource(ALICE, "get", "", "pods", "", "x", "p"))).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.level(Attributes.resource(ALICE, "update", "", "replicationcontrollers", "scale", "x", "r")))
                .isEqualTo(AuditLevel.Request);
        assertThat(policy.level(Attributes.resource(ALICE, "patch", "apps", "deployments", "status", "x", "d"))).isEqualTo(AuditLevel.Request);
        assertThat(policy.level(Attributes.resource(ALICE, "patch", "", "deployments", "status", "x", "d"))).isEqualTo(AuditLevel.Metadata);
    }

    @Test
    void groupsAndNamespacesMustBothMatch() {
        assertThat(policy.level(Attributes.resource(ALICE, "get", "", "pods", "", "team", "p"))).isEqualTo(AuditLevel.RequestResponse);
        assertThat(policy.level(Attributes.resource(ALICE, "get", "", "pods", "", "other", "p"))).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.level(Attributes.resource(PROXY, "get", "", "pods", "", "team", "p"))).isEqualTo(AuditLevel.Metadata);
        assertThat(policy.level(Attributes.nonResource(ALICE, "get", "/apis"))).isEqualTo(AuditLevel.Metadata);
    }

    @Test
    void noMatchingRuleMeansNone() {
        AuditPolicy secretsOnly = parse("""
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: Request
                  resources: [{group: "", resources: [secrets], resourceNames: [db]}]
                """);
        assertThat(secretsOnly.level(Attributes.resource(ALICE, "get", "", "secrets", "", "x", "db"))).isEqualTo(AuditLevel.Request);
        assertThat(secretsOnly.level(Attributes.resource(ALICE, "get", "", "secrets", "", "x", "other"))).isEqualTo(AuditLevel.None);
        assertThat(secretsOnly.level(Attributes.resource(ALICE, "get", "", "pods", "", "x", "db"))).isEqualTo(AuditLevel.None);
    }

    @Test
    void badPoliciesAreRefused() {
        assertThatThrownBy(() -> AuditPolicy.parse("kind: ConfigMap")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AuditPolicy.parse("kind: Policy\nrules: [{level: Loud}]")).hasMessageContaining("Loud");
        assertThatThrownBy(() -> AuditPolicy.parse("kind: Policy\nrules: [{level: None, nonResourceURLs: [/x], namespaces: [a]}]"))
                .isInstanceOf(IOException.class);
    }

    private static AuditPolicy parse(String yaml) {
        try {
            return AuditPolicy.parse(yaml);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
