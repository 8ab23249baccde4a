package io.capstan.apiserver.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void firstStartMakesCaAndServingCertWithPrivateKeys() throws Exception {
        ClusterCertificates certs = ClusterCertificates.loadOrCreate(dir, List.of());
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("server.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        X509Certificate serving = certs.servingCertificate();
        serving.verify(certs.caCertificate().getPublicKey());
        assertThat(ClusterCertificates.sansOf(serving)).contains("localhost", "127.0.0.1", "kubernetes.default.svc");
        assertThat(certs.caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void laterStartsReuseTheCaAndReissueOnlyForNewNames() throws Exception {
        ClusterCertificates first = ClusterCertificates.loadOrCreate(dir, List.of());
        ClusterCertificates second = ClusterCertificates.loadOrCreate(dir, List.of());
        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.servingCertificate().getSerialNumber()).isEqualTo(first.servingCertificate().getSerialNumber());
        ClusterCertificates third = ClusterCertificates.loadOrCreate(dir, List.of("api.example.test", "10.99.0.1"));
        assertThat(third.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(third.servingCertificate().getSerialNumber()).isNotEqualTo(first.servingCertificate().getSerialNumber());
        assertThat(ClusterCertificates.sansOf(third.servingCertificate())).contains("api.example.test", "10.99.0.1");
    }

    @Test
    void clientCertificatesCarryUserAndGroups() throws Exception {
        ClusterCertificates certs = ClusterCertificates.loadOrCreate(dir, List.of());
        ClusterCertificates.IssuedCertificate issued = certs.issueClientCertificate("jane", List.of("dev", "ops"), Duration.ofDays(1));
        Path crt = dir.resolve("jane.crt");
        Files.writeString(crt, issued.certificatePem());
        X509Certificate cert = PemFiles.readCertificate(crt);
        cert.verify(certs.caCertificate().getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=jane").contains("O=dev").contains("O=ops");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void opensslAcceptsTheChain() throws Exception {
        ClusterCertificates.loadOrCreate(dir, List.of());
        Process p;
        try {
            p = new ProcessBuilder("openssl", "verify", "-CAfile", dir.resolve("ca.crt").toString(), dir.resolve("server.crt").toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return; // bin/test installs openssl; without it there is nothing to compare against
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("OK");
    }
}
