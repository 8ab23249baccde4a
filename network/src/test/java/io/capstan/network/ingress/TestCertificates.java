package io.capstan.network.ingress;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates as PEM, and kubernetes.io/tls Secrets holding them. */
final class TestCertificates {

    private TestCertificates() {}

    /** A certificate and key for this common name: RSA in PKCS#1 form, or EC in PKCS#8 form. */
    record Pem(String cert, String key) {}

    static Pem create(String commonName, boolean rsa) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
            generator.initialize(rsa ? 2048 : 256, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                    Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))), name,
                    pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, commonName)));
            var holder = builder.build(new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(pair.getPrivate()));
            StringWriter cert = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(cert)) {
                writer.writeObject(holder);
            }
            StringWriter key = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(key)) {
                writer.writeObject(rsa ? pair : new JcaPKCS8Generator(pair.getPrivate(), null));
            }
            return new Pem(cert.toString(), key.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode secret(String namespace, String name, Pem pem) {
        var secret = Yaml.object("{apiVersion: v1, kind: Secret, type: kubernetes.io/tls}");
        secret.putObject("metadata").put("namespace", namespace).put("name", name);
        secret.putObject("data").put("tls.crt", base64(pem.cert())).put("tls.key", base64(pem.key()));
        return secret;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
