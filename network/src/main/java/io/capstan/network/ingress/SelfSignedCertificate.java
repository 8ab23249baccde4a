package io.capstan.network.ingress;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The certificate served when no Ingress TLS entry covers the requested name, as ingress-nginx's "fake" certificate. */
final class SelfSignedCertificate {

    static final String ALIAS = "default";
    static final String COMMON_NAME = "Capstan Ingress Default Certificate";

    private SelfSignedCertificate() {}

    /** A fresh EC P-256 key and a certificate for ingress.local valid one year; made at every start, never stored. */
    static KeyEntry create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("O=Capstan,CN=" + COMMON_NAME);
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "ingress.local")));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new KeyEntry(ALIAS, pair.getPrivate(), new X509Certificate[] {cert});
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the ingress's self-signed certificate", e);
        }
    }
}
