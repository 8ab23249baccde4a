package io.capstan.network.ingress;

import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** A serving certificate chain and its private key, as a kubernetes.io/tls Secret holds them (tls.crt, tls.key). */
record KeyEntry(String alias, PrivateKey key, X509Certificate[] chain) {

    /**
     * Parses PEM: the chain, leaf first, and a key in PKCS#8, PKCS#1 (RSA) or SEC1 (EC) form.
     *
     * @throws IllegalArgumentException when either is missing or unreadable
     */
    static KeyEntry fromPem(String alias, String certPem, String keyPem) {
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("tls.crt holds no certificate");
            }
            X509Certificate[] chain = certs.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
            return new KeyEntry(alias, privateKey(keyPem), chain);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tls.crt: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("tls.key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("tls.key holds no private key");
    }

    /** Whether this key can sign for the key type JSSE asks for ("RSA", "RSASSA-PSS", "EC", "EdDSA"...). */
    boolean fits(String keyType) {
        String algorithm = key.getAlgorithm();
        return switch (keyType) {
            case "RSA", "RSASSA-PSS" -> algorithm.equals("RSA") || algorithm.equals(keyType);
            case "EC", "ECDSA" -> algorithm.equals("EC") || algorithm.equals("ECDSA");
            default -> algorithm.equalsIgnoreCase(keyType);
        };
    }
}
