package io.capstan.apiserver.auth;

import io.capstan.apiserver.http.Exchange;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Users from TLS client certificates: CN is the user, each O a group, as Kubernetes reads them.
 * The TLS layer has already verified the chain against the cluster CA (its trust store holds only that CA).
 */
public final class ClientCertAuthenticator implements Authenticator {

    @Override
    public Optional<UserInfo> authenticate(Exchange exchange) {
        X509Certificate[] chain = exchange.peerCertificates();
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        try {
            chain[0].checkValidity();
        } catch (CertificateException e) {
            return Optional.empty();
        }
        return identity(chain[0]);
    }

    static Optional<UserInfo> identity(X509Certificate cert) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
            if (user == null || user.isEmpty()) {
                return Optional.empty();
            }
            groups.add("system:authenticated");
            return Optional.of(new UserInfo(user, List.copyOf(groups)));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
