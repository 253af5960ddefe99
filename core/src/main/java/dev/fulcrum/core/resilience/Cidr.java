package dev.fulcrum.core.resilience;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network written as {@code address[/prefix]}, and the address keys rate limiting counts by.
 *
 * <p>Immutable. Parsing never resolves names: only literals are accepted.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixBits;

    private Cidr(byte[] network, int prefixBits) {
        this.network = network;
        this.prefixBits = prefixBits;
    }

    /** True when {@code text} is an address literal with an optional prefix length that fits it. */
    public static boolean isValid(String text) {
        return parseOrNull(text) != null;
    }

    /** @throws IllegalArgumentException when {@code text} is not an address literal or CIDR */
    public static Cidr parse(String text) {
        final Cidr cidr = parseOrNull(text);
        if (cidr == null) {
            throw new IllegalArgumentException("not an address or CIDR: " + text);
        }
        return cidr;
    }

    private static Cidr parseOrNull(String text) {
        final int slash = text.indexOf('/');
        final String literal = slash < 0 ? text : text.substring(0, slash);
        final byte[] bytes = literalBytes(literal);
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                return null;
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** The bytes of an IPv4 or IPv6 literal, or null; never a DNS lookup. */
    static byte[] literalBytes(CharSequence literal) {
        if (literal.length() == 0 || literal.length() > 45) {
            return null;
        }
        boolean colon = false;
        for (int i = 0; i < literal.length(); i++) {
            final char c = literal.charAt(i);
            if (c == ':') {
                colon = true;
            } else if (!(c >= '0' && c <= '9' || c == '.' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        if (!colon) {
            final long v4 = ClientAddress.parseIpv4(literal, 0, literal.length());
            if (v4 < 0) {
                return null;
            }
            return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        try {
            return InetAddress.getByName(literal.toString()).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** True when the address (4 or 16 bytes) lies in this network. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        final int full = prefixBits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        final int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        final int mask = 0xff << (8 - rest) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** True when the IPv4 address (as an unsigned 32-bit value) lies in this network. */
    public boolean containsIpv4(long ipv4) {
        if (network.length != 4) {
            return false;
        }
        if (prefixBits == 0) {
            return true;
        }
        final long net = (network[0] & 0xffL) << 24 | (network[1] & 0xffL) << 16 | (network[2] & 0xffL) << 8
                | (network[3] & 0xffL);
        final long mask = (0xffffffffL << (32 - prefixBits)) & 0xffffffffL;
        return (ipv4 & mask) == (net & mask);
    }
}
