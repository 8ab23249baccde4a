package io.capstan.apiserver.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * The cluster's TLS material in DATA/tls: a CA made on first start (10 years) and a serving
 * certificate it signs (1 year), both reused on later starts; the serving certificate is issued
 * anew when it nears expiry or does not cover the wanted names.
 */
public final class ClusterCertificates {

    /** What an issued client certificate comes as: PEM certificate and PEM key. */
    public record IssuedCertificate(String certificatePem, String keyPem) {}

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVING_VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final X509Certificate ca;
    private final KeyPair caKeys;
    private final X509Certificate serving;
    private final KeyPair servingKeys;

    private ClusterCertificates(X509Certificate ca, KeyPair caKeys, X509Certificate serving, KeyPair servingKeys) {
        this.ca = ca;
        this.caKeys = caKeys;
        this.serving = serving;
        this.servingKeys = servingKeys;
    }

    public static ClusterCertificates loadOrCreate(Path dir, List<String> extraSans) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        PemFiles.restrict(dir, "rwx------");
        Path caCrt = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        X509Certificate ca;
        KeyPair caKeys;
        if (Files.exists(caCrt) && Files.exists(caKey)) {
            ca = PemFiles.readCertificate(caCrt);
            caKeys = PemFiles.readKeyPair(caKey, ca);
        } else {
            caKeys = CertificateIssuer.newKeyPair();
            ca = CertificateIssuer.selfSignedCa("capstan-ca@" + Instant.now().getEpochSecond(), caKeys, CA_VALIDITY);
            PemFiles.write(caKey, PemFiles.pem(caKeys.getPrivate()), true);
            PemFiles.write(caCrt, PemFiles.pem(ca), false);
        }
        Set<String> wanted = wantedSans(extraSans);
        Path crt = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        if (Files.exists(crt) && Files.exists(key)) {
            X509Certificate current = PemFiles.readCertificate(crt);
            if (stillGood(current, ca, wanted)) {
                return new ClusterCertificates(ca, caKeys, current, PemFiles.readKeyPair(key, current));
            }
        }
        KeyPair keys = CertificateIssuer.newKeyPair();
        X509Certificate cert = CertificateIssuer.leaf(ca, caKeys, "capstan", List.of(), generalNames(wanted), keys, SERVING_VALIDITY, true);
        PemFiles.write(key, PemFiles.pem(keys.getPrivate()), true);
        PemFiles.write(crt, PemFiles.pem(cert), false);
        return new ClusterCertificates(ca, caKeys, cert, keys);
    }

    /** The certificates as the server keeps them, read and never changed (for issuing client certificates beside a running server). */
    public static ClusterCertificates load(Path dir) throws IOException, GeneralSecurityException {
        X509Certificate ca = PemFiles.readCertificate(dir.resolve("ca.crt"));
        X509Certificate serving = PemFiles.readCertificate(dir.resolve("server.crt"));
        return new ClusterCertificates(ca, PemFiles.readKeyPair(dir.resolve("ca.key"), ca), serving,
                PemFiles.readKeyPair(dir.resolve("server.key"), serving));
    }

    private static boolean stillGood(X509Certificate cert, X509Certificate ca, Set<String> wanted) {
        try {
            cert.verify(ca.getPublicKey());
            if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
                return false;
            }
            return sansOf(cert).containsAll(wanted);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static Set<String> sansOf(X509Certificate cert) throws CertificateParsingException {
        Set<String> names = new HashSet<>();
        if (cert.getSubjectAlternativeNames() != null) {
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                names.add(normalize(san.get(1).toString()));
            }
        }
        return names;
    }

    /** The names the serving certificate must cover: the kubernetes service names, this host and its addresses, extras. */
    static Set<String> wantedSans(List<String> extra) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local", "127.0.0.1", "::1"));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable host name: the others still serve
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        if (!a.isLinkLocalAddress()) {
                            names.add(normalize(a.getHostAddress()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // interfaces unreadable: loopback names still serve
        }
        extra.forEach(names::add);
        Set<String> normalized = new LinkedHashSet<>();
        names.forEach(n -> normalized.add(normalize(n)));
        return normalized;
    }

    private static String normalize(String name) {
        String n = name.contains("%") ? name.substring(0, name.indexOf('%')) : name;
        if (isIp(n)) {
            try {
                return InetAddress.getByName(n).getHostAddress();
            } catch (IOException e) {
                return n;
            }
        }
        return n.toLowerCase();
    }

    private static boolean isIp(String n) {
        return n.matches("[0-9.]+") || n.contains(":");
    }

    private static List<GeneralName> generalNames(Set<String> names) {
        List<GeneralName> out = new ArrayList<>();
        for (String n : names) {
            out.add(new GeneralName(isIp(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        return out;
    }

    /** The serving key and chain, for the HTTPS connector. */
    public KeyStore serverKeyStore(char[] password) throws GeneralSecurityException, IOException {
        return keyStore("serving", servingKeys, serving, password);
    }

    /** The CA alone: client certificates must chain to it. */
    public KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("cluster-ca", ca);
        return ks;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public X509Certificate servingCertificate() {
        return serving;
    }

    public String caPem() {
        return PemFiles.pem(ca);
    }

    /** A client certificate for a user (CN) in groups (O) with its key, ready for a TLS client (the API server calling agents). */
    public KeyStore clientKeyStore(String user, List<String> groups, Duration validity, char[] password)
            throws GeneralSecurityException, IOException {
        KeyPair keys = CertificateIssuer.newKeyPair();
        X509Certificate cert = CertificateIssuer.leaf(ca, caKeys, user, groups, List.of(), keys, validity, false);
        return keyStore("client", keys, cert, password);
    }

    /** A serving certificate for other names (an agent's host names and addresses) with its key, for a TLS server. */
    public KeyStore servingKeyStore(String commonName, List<String> sans, Duration validity, char[] password)
            throws GeneralSecurityException, IOException {
        KeyPair keys = CertificateIssuer.newKeyPair();
        Set<String> names = new LinkedHashSet<>();
        sans.forEach(n -> names.add(normalize(n)));
        X509Certificate cert = CertificateIssuer.leaf(ca, caKeys, commonName, List.of(), generalNames(names), keys, validity, true);
        return keyStore("serving", keys, cert, password);
    }

    private KeyStore keyStore(String alias, KeyPair keys, X509Certificate cert, char[] password)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, keys.getPrivate(), password, new Certificate[] {cert, ca});
        return ks;
    }

    /** A client certificate for a user (CN) in groups (O), as Kubernetes reads them. */
    public IssuedCertificate issueClientCertificate(String user, List<String> groups, Duration validity) throws GeneralSecurityException {
        KeyPair keys = CertificateIssuer.newKeyPair();
        X509Certificate cert = CertificateIssuer.leaf(ca, caKeys, user, groups, List.of(), keys, validity, false);
        return new IssuedCertificate(PemFiles.pem(cert), PemFiles.pem(keys.getPrivate()));
    }
}
