package io.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelRulesTest {

    @Test
    void dns1123SubdomainsAreLowercaseDottedAndAtMost253Long() {
        assertThat(LabelRules.dns1123SubdomainErrors("web-1.example.com")).isEmpty();
        assertThat(LabelRules.dns1123SubdomainErrors("Web")).containsExactly(LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
        assertThat(LabelRules.dns1123SubdomainErrors("-web")).containsExactly(LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
        assertThat(LabelRules.dns1123SubdomainErrors("")).containsExactly(LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
        assertThat(LabelRules.dns1123SubdomainErrors("a".repeat(253))).isEmpty();
        assertThat(LabelRules.dns1123SubdomainErrors("a".repeat(254))).containsExactly("must be no more than 253 characters");
    }

    @Test
    void dns1123LabelsHaveNoDotsAndAtMost63Characters() {
        assertThat(LabelRules.dns1123LabelErrors("kube-system")).isEmpty();
        assertThat(LabelRules.dns1123LabelErrors("a.b")).containsExactly("must not contain dots");
        assertThat(LabelRules.dns1123LabelErrors("A_b")).containsExactly(LabelRules.DNS1123_LABEL_MESSAGE);
        assertThat(LabelRules.dns1123LabelErrors("a".repeat(64))).containsExactly("must be no more than 63 characters");
        assertThat(LabelRules.DNS1123_LABEL_MESSAGE).isEqualTo("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
                + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void dns1035LabelsStartWithALetter() {
        assertThat(LabelRules.dns1035LabelErrors("web")).isEmpty();
        assertThat(LabelRules.dns1035LabelErrors("1web")).containsExactly(LabelRules.DNS1035_LABEL_MESSAGE);
    }

    @Test
    void qualifiedNamesReportPrefixAndNamePartsSeparately() {
        assertThat(LabelRules.qualifiedNameErrors("app.kubernetes.io/name")).isEmpty();
        assertThat(LabelRules.qualifiedNameErrors("/name")).containsExactly("prefix part must be non-empty");
        assertThat(LabelRules.qualifiedNameErrors("Example.com/name"))
                .containsExactly("prefix part " + LabelRules.DNS1123_SUBDOMAIN_MESSAGE);
        assertThat(LabelRules.qualifiedNameErrors("example.com/")).containsExactly("name part must be non-empty", LabelRules.QUALIFIED_NAME_MESSAGE);
        assertThat(LabelRules.qualifiedNameErrors("a".repeat(64))).containsExactly("name part must be no more than 63 characters");
        assertThat(LabelRules.qualifiedNameErrors("a/b/c")).singleElement().asString().startsWith("a qualified name must consist");
    }

    @Test
    void labelValuesMayBeEmpty() {
        assertThat(LabelRules.labelValueErrors("")).isEmpty();
        assertThat(LabelRules.labelValueErrors("v1.2_3-x")).isEmpty();
        assertThat(LabelRules.labelValueErrors("a b")).containsExactly(LabelRules.LABEL_VALUE_MESSAGE);
        assertThat(LabelRules.labelValueErrors("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }
}
