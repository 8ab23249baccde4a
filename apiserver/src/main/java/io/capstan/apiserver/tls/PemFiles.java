package io.capstan.apiserver.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reads and writes PEM certificates and keys; key files are written with mode 0600. */
final class PemFiles {

    private PemFiles() {}

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static void write(Path file, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        if (secret) {
            restrict(tmp, "rw-------");
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void restrict(Path path, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    static X509Certificate readCertificate(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException(file + " holds no certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static KeyPair readKeyPair(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object o = parser.readObject();
            if (!(o instanceof PEMKeyPair pair)) {
                throw new IOException(file + " holds no key pair");
            }
            return new JcaPEMKeyConverter().getKeyPair(pair);
        }
    }

    static PrivateKey readKey(Path file) throws IOException {
        return readKeyPair(file).getPrivate();
    }
}
