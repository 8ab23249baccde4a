package io.capstan.network.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.client.fake.FakeCache;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsCertificatesTest {

    private static final KeyEntry DEFAULT = SelfSignedCertificate.create();
    private static final TestCertificates.Pem SHOP = TestCertificates.create("shop.example.com", true);
    private static final TestCertificates.Pem WILDCARD = TestCertificates.create("*.apps.test", false);

    private final FakeCache secrets = new FakeCache()
            .put(TestCertificates.secret("web", "shop-tls", SHOP))
            .put(TestCertificates.secret("web", "apps-tls", WILDCARD));

    private static final ObjectNode INGRESS = Yaml.object("""
            metadata: {name: web, namespace: web}
            spec:
              tls:
              - {hosts: [shop.example.com, Shop.Example.org], secretName: shop-tls}
              - {hosts: ["*.apps.test"], secretName: apps-tls}
              - {hosts: [missing.test], secretName: missing}
            """);

    private static String commonName(KeyEntry entry) {
        return entry.chain()[0].getSubjectX500Principal().getName();
    }

    @Test
    void sniNameSelectsTheSecretOfTheTlsEntryListingIt() {
        TlsCertificates certs = TlsCertificates.of(List.of(INGRESS), secrets::get, DEFAULT);
        assertThat(certs.select("shop.example.com").alias()).isEqualTo("web/shop-tls");
        assertThat(certs.select("SHOP.example.com").alias()).isEqualTo("web/shop-tls");
        assertThat(certs.select("shop.example.org").alias()).isEqualTo("web/shop-tls");
        assertThat(commonName(certs.select("shop.example.com"))).isEqualTo("CN=shop.example.com");
        assertThat(certs.select("shop.example.com").key().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void wildcardTlsHostCoversOneLabel() {
        TlsCertificates certs = TlsCertificates.of(List.of(INGRESS), secrets::get, DEFAULT);
        assertThat(certs.select("one.apps.test").alias()).isEqualTo("web/apps-tls");
        assertThat(certs.select("one.apps.test").key().getAlgorithm()).isEqualTo("EC");
        assertThat(certs.select("a.b.apps.test")).isSameAs(DEFAULT);
        assertThat(certs.select("apps.test")).isSameAs(DEFAULT);
    }

    @Test
    void unknownNamesNoSniAndMissingSecretsGetTheDefaultCertificate() {
        TlsCertificates certs = TlsCertificates.of(List.of(INGRESS), secrets::get, DEFAULT);
        assertThat(certs.select("other.test")).isSameAs(DEFAULT);
        assertThat(certs.select(null)).isSameAs(DEFAULT);
        assertThat(certs.select("missing.test")).isSameAs(DEFAULT);
        assertThat(commonName(DEFAULT)).contains("CN=" + SelfSignedCertificate.COMMON_NAME);
    }

    @Test
    void brokenSecretIsSkipped() {
        ObjectNode broken = TestCertificates.secret("web", "shop-tls", new TestCertificates.Pem(SHOP.cert(), "not a key"));
        secrets.put(broken);
        assertThat(TlsCertificates.of(List.of(INGRESS), secrets::get, DEFAULT).select("shop.example.com")).isSameAs(DEFAULT);
    }

    @Test
    void tlsEntryWithoutHostsServesNamesNoEntryLists() {
        ObjectNode ingress = Yaml.object("""
                metadata: {name: any, namespace: web}
                spec: {tls: [{secretName: shop-tls}]}
                """);
        TlsCertificates certs = TlsCertificates.of(List.of(ingress), secrets::get, DEFAULT);
        assertThat(certs.select("whatever.test").alias()).isEqualTo("web/shop-tls");
        assertThat(certs.select(null).alias()).isEqualTo("web/shop-tls");
    }

    @Test
    void keyManagerAnswersOnlyForTheSelectedKeyTypeAndFollowsUpdates() {
        SniKeyManager keys = new SniKeyManager(TlsCertificates.only(DEFAULT));
        assertThat(keys.chooseEngineServerAlias("EC", null, null)).isEqualTo(SelfSignedCertificate.ALIAS);
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isNull();
        keys.update(TlsCertificates.of(List.of(Yaml.object("""
                metadata: {name: any, namespace: web}
                spec: {tls: [{secretName: shop-tls}]}
                """)), secrets::get, DEFAULT));
        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).isEqualTo("web/shop-tls");
        assertThat(keys.chooseEngineServerAlias("EC", null, null)).isNull();
        assertThat(keys.getPrivateKey("web/shop-tls").getAlgorithm()).isEqualTo("RSA");
        // The table before the last swap still answers for a handshake that chose its alias just before.
        keys.update(TlsCertificates.only(DEFAULT));
        assertThat(keys.getCertificateChain("web/shop-tls")).hasSize(1);
        keys.update(TlsCertificates.only(DEFAULT));
        assertThat(keys.getCertificateChain("web/shop-tls")).isNull();
    }
}
