package io.capstan.network.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An IPv4 or IPv6 block as an address and prefix length: what an ipBlock's cidr and except fields name. */
record Cidr(BigInteger base, int prefix, int bits) {

    /** The block {@code text} names ("10.0.0.0/8", or a bare address for a single host); empty when it is not one. */
    static Optional<Cidr> parse(String text) {
        String[] parts = text.strip().split("/", 2);
        if (parts[0].isEmpty() || !(parts[0].contains(":") || parts[0].matches("[0-9.]+"))) {
            return Optional.empty(); // never a host name: InetAddress would resolve it
        }
        try {
            byte[] addr = InetAddress.getByName(parts[0]).getAddress();
            int bits = addr.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
            return Optional.of(new Cidr(new BigInteger(1, addr), prefix, bits).normalized());
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean isIpv4() {
        return bits == 32;
    }

    /** Whether {@code other} lies wholly inside this block. */
    boolean contains(Cidr other) {
        return bits == other.bits && prefix <= other.prefix && other.base.shiftRight(bits - prefix).equals(base.shiftRight(bits - prefix));
    }

    /** This block without the blocks of {@code except}, as the fewest blocks that cover what is left. */
    List<Cidr> minus(List<Cidr> except) {
        List<Cidr> left = new ArrayList<>(List.of(this));
        for (Cidr hole : except) {
            List<Cidr> next = new ArrayList<>();
            for (Cidr block : left) {
                next.addAll(block.without(hole));
            }
            left = next;
        }
        return left;
    }

    private List<Cidr> without(Cidr hole) {
        if (hole.contains(this)) {
            return List.of();
        }
        if (!contains(hole)) {
            return List.of(this);
        }
        // Halve until the half holding the hole is the hole itself; every other half stays whole.
        List<Cidr> out = new ArrayList<>();
        Cidr block = this;
        while (block.prefix < hole.prefix) {
            Cidr low = new Cidr(block.base, block.prefix + 1, bits);
            Cidr high = new Cidr(block.base.setBit(bits - block.prefix - 1), block.prefix + 1, bits);
            if (low.contains(hole)) {
                out.add(high);
                block = low;
            } else {
                out.add(low);
                block = high;
            }
        }
        out.sort(java.util.Comparator.comparing(Cidr::base));
        return out;
    }

    private Cidr normalized() {
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new Cidr(base.and(mask), prefix, bits);
    }

    @Override
    public String toString() {
        byte[] raw = base.toByteArray();
        byte[] addr = new byte[bits / 8];
        int copy = Math.min(raw.length, addr.length);
        System.arraycopy(raw, raw.length - copy, addr, addr.length - copy, copy);
        try {
            return InetAddress.getByAddress(addr).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
