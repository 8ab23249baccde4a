package io.capstan.network.iptables;

/** An iptables command that failed, with the tool's own message. */
public final class IptablesException extends RuntimeException {

    public IptablesException(String message) {
        super(message);
    }
}
