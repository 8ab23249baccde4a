package io.capstan.apiserver.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The key that signs service account tokens (ECDSA P-256, as kubeadm's sa.key/sa.pub): made on first
 * start in DATA/tls as service-account.key (0600) and service-account.pub, reused afterwards so tokens outlive restarts.
 */
public final class ServiceAccountKey {

    private ServiceAccountKey() {}

    public static KeyPair loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path key = dir.resolve("service-account.key");
        Path pub = dir.resolve("service-account.pub");
        if (Files.exists(key) && Files.exists(pub)) {
            return new KeyPair(readPublic(pub), PemFiles.readKey(key));
        }
        KeyPair keys = CertificateIssuer.newKeyPair();
        PemFiles.write(key, PemFiles.pem(keys.getPrivate()), true);
        PemFiles.write(pub, PemFiles.pem(keys.getPublic()), false);
        return keys;
    }

    private static PublicKey readPublic(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            if (parser.readObject() instanceof SubjectPublicKeyInfo info) {
                return new JcaPEMKeyConverter().getPublicKey(info);
            }
            throw new IOException(file + " holds no public key");
        }
    }
}
