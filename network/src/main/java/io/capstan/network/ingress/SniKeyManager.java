package io.capstan.network.ingress;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of the HTTPS listener: picks the certificate for each handshake's SNI name from the current
 * {@link TlsCertificates}, which can be swapped at any time without restarting the listener.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private volatile TlsCertificates current;
    /** The table before the last swap: a handshake may choose an alias just before a swap and fetch its key just after. */
    private volatile TlsCertificates previous;

    SniKeyManager(TlsCertificates initial) {
        this.current = initial;
        this.previous = initial;
    }

    void update(TlsCertificates certificates) {
        previous = current;
        current = certificates;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession session) {
        // JSSE asks once per key type the client accepts, in its order: answer only for the selected certificate's type,
        // else another certificate (say the EC default) would pre-empt an RSA one the name asks for.
        KeyEntry entry = current.select(sniName(session));
        return entry.fits(keyType) ? entry.alias() : null;
    }

    static String sniName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private KeyEntry entry(String alias) {
        KeyEntry entry = current.byAlias(alias);
        return entry != null ? entry : previous.byAlias(alias);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        KeyEntry entry = entry(alias);
        return entry == null ? null : entry.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        KeyEntry entry = entry(alias);
        return entry == null ? null : entry.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
