package io.capstan.controllers.nodeipam;

/**
 * An IPv4 network in CIDR notation, held as its first address and prefix length.
 *
 * @param base the network address as an unsigned 32-bit number (host bits zero)
 */
record Ipv4Cidr(long base, int prefix) {

    Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not between 0 and 32");
        }
        base = base & mask(prefix);
    }

    /** Parses "10.42.0.0/16"; host bits are cleared, as Go's net.ParseCIDR gives the network. */
    static Ipv4Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        String[] octets = text.substring(0, slash).split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("invalid CIDR address: " + text + " (only IPv4 is supported)");
        }
        long value = 0;
        try {
            for (String octet : octets) {
                int o = Integer.parseInt(octet);
                if (o < 0 || o > 255 || octet.isEmpty() || octet.length() > 3) {
                    throw new NumberFormatException(octet);
                }
                value = (value << 8) | o;
            }
            return new Ipv4Cidr(value, Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
    }

    boolean contains(Ipv4Cidr other) {
        return other.prefix >= prefix && (other.base & mask(prefix)) == base;
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return ((base >> 24) & 255) + "." + ((base >> 16) & 255) + "." + ((base >> 8) & 255) + "." + (base & 255) + "/" + prefix;
    }
}
